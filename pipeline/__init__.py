"""A Dutch NLP pipeline that turns summit declarations into data."""
__version__ = "0.1.0"
