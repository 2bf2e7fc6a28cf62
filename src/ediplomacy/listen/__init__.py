"""Listen: read global opinion; watch rules, burst detection and alerts."""
