"""Guided procedures: the model, the guide compiler, the engine and the account backend."""
