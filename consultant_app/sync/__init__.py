"""What laptop and central office share on the wire: the certificate's signed facts (and, later, sync ops)."""
