"""Message threads between an organisation and the secretariat, and "Ask for more information"."""
