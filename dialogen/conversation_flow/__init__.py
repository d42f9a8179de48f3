"""The parts of a conversation, composed into one by ``dialogen.engine``."""
