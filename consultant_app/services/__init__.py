"""Services the GUI and the command line share: load and save records with the domain's rules, no Qt."""
