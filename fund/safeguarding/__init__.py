"""The confidential safeguarding channel: reporting a concern, and the leads handling it."""
