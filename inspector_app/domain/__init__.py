"""Plain-Python domain: enums, checklist engine, risk rules, classification, schedule."""
