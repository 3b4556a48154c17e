// WebSocket (WHATWG): work in progress.
