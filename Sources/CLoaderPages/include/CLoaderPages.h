#ifndef DISPO_CLOADERPAGES_H
#define DISPO_CLOADERPAGES_H

#include <stddef.h>

/// Gives back the resident pages of the dynamic loader's relocation tables (`DT_RELA`) of every loaded
/// library whose table is at least `min_bytes` long. The loader reads each table once, at load; after that
/// nothing does, yet its pages stay resident (libgeocoding's alone is 11 MB: 460 000 relocations for its
/// built-in place names). Only tables inside a read-only, file-backed segment are touched, so a page read
/// again later simply comes back from the file. Returns the bytes given back (whole pages).
size_t dispo_release_relocation_tables(size_t min_bytes);

#endif
