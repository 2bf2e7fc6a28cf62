"""Routes, one module per area; each route declares its roles (see ediplomacy.web.access)."""
