"""The commerce core: catalog, customers, carts, orders, screen events. Knows nothing of voice."""
