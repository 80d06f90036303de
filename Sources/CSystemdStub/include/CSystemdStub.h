// Nothing to import: the two functions are for libdbus-1.a's link only.
