"""Use cases. Each takes an un-entered UnitOfWork and runs as one transaction."""
