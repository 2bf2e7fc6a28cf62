"""Domain types shared by every module; they import nothing else from the project."""
