"""Models: embedders, classifier heads, gazetteer. Every result records model name and version."""
