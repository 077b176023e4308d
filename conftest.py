"""Root fixtures shared by every test package (tests/<app>/...)."""
