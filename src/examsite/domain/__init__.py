"""Pure business rules and value types: stdlib only, no Qt, no database."""
