"""Ripple Effects Mapping (issue 15): what spread from a programme into people's lives,
organisations and communities, mapped together as a tree of ripples coded with the Community
Capitals Framework. So far the pure core: capitals, the tree, coders' agreement and rounds."""
