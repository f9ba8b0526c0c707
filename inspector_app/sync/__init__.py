"""The client side of sync (httpx) and the wire schemas shared with the server (hq)."""
