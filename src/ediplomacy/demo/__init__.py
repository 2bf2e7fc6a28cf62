"""A fictional week of multilingual diplomacy traffic, with its planted ground truth."""

from ediplomacy.demo.generate import DemoFile, DemoManifest, DemoSizeError, generate

__all__ = ["DemoFile", "DemoManifest", "DemoSizeError", "generate"]
