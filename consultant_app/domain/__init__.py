"""Pure rules: KPIs, formulas, validation, summaries and programme aggregates (no Qt, SQL or HTTP)."""
