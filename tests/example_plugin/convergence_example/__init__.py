"""The example plug-in: the smallest Convergence plug-in with every file of the one plug-in
shape (see README.md). People leave a greeting in a commune, an assembly or a circle."""
