"""« Données ouvertes »: each commune, assembly and circle lists the data its plug-ins
publish (the ``exports`` hook), as links anyone may copy into their own tools."""
