/* ovsdb-data.h: OVSDB types, atoms and datums and their JSON encoding
 * (RFC 7047 sections 3.1 and 5.1).
 *
 * An atom is one integer, real, boolean, string or uuid.  A datum is the
 * value of one column: a set of atoms (keys only) or a map (keys and
 * values), kept sorted by key with no duplicate keys, so that two equal
 * datums compare equal memberwise.  A scalar column is a set of exactly one
 * atom; an optional column is a set of 0 or 1.
 *
 * JSON encoding: an atom is a JSON number/boolean/string, or
 * ["uuid", "<36 chars>"] or ["named-uuid", "<id>"]; a set is
 * ["set", [atom...]] or a bare atom for a one-element set; a map is
 * ["map", [[key, value]...]].
 *
 * Pure data functions: thread-safe on distinct objects. */
#ifndef OVSNFV_OVSDB_DATA_H
#define OVSNFV_OVSDB_DATA_H 1

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct dstr;
struct smap;

/* A 128-bit UUID. */
struct uuid {
    uint32_t parts[4];
};

#define UUID_LEN 36             /* Text form length, without the NUL. */

/* Parses the 36-character text form.  Returns true on success. */
bool uuid_from_string(struct uuid *, const char *);
/* Writes the text form into 'buf' (at least UUID_LEN + 1 bytes). */
char *uuid_to_string(const struct uuid *, char buf[UUID_LEN + 1]);
/* A random (version 4) UUID. */
void uuid_generate(struct uuid *);
bool uuid_equals(const struct uuid *, const struct uuid *);
int uuid_compare(const struct uuid *, const struct uuid *);
bool uuid_is_zero(const struct uuid *);
uint32_t uuid_hash(const struct uuid *);

enum ovsdb_atomic_type {
    OVSDB_TYPE_VOID,            /* "No value", for a set's value type. */
    OVSDB_TYPE_INTEGER,
    OVSDB_TYPE_REAL,
    OVSDB_TYPE_BOOLEAN,
    OVSDB_TYPE_STRING,
    OVSDB_TYPE_UUID,
};

const char *ovsdb_atomic_type_to_string(enum ovsdb_atomic_type);
/* Returns false if 'name' is not an atomic type name. */
bool ovsdb_atomic_type_from_string(const char *name,
                                   enum ovsdb_atomic_type *);

/* One base type of a column type.  Only the constraints the client needs
 * are kept; the server enforces the rest. */
struct ovsdb_base_type {
    enum ovsdb_atomic_type type;
    char *ref_table;            /* For uuids: "refTable", or NULL. */
    bool ref_strong;            /* For uuids with ref_table: strong ref. */
};

#define OVSDB_N_MAX_UNLIMITED UINT32_MAX

struct ovsdb_type {
    struct ovsdb_base_type key;
    struct ovsdb_base_type value;   /* OVSDB_TYPE_VOID for sets/scalars. */
    uint32_t n_min;                 /* 0 or 1. */
    uint32_t n_max;                 /* >= 1, or OVSDB_N_MAX_UNLIMITED. */
};

/* Parses a column's "type" JSON (schema section 3.2).  Returns 0 or EINVAL
 * with a malloc'd message in '*errp'.  On success destroy with
 * ovsdb_type_destroy(). */
int ovsdb_type_from_json(struct ovsdb_type *, const json_t *, char **errp);
void ovsdb_type_destroy(struct ovsdb_type *);
void ovsdb_type_clone(struct ovsdb_type *dst, const struct ovsdb_type *src);
bool ovsdb_type_is_map(const struct ovsdb_type *);
bool ovsdb_type_is_scalar(const struct ovsdb_type *);    /* exactly 1 */
bool ovsdb_type_is_optional(const struct ovsdb_type *);  /* 0 or 1 */
/* Shorthand constructors for the common column types. */
struct ovsdb_type ovsdb_type_scalar(enum ovsdb_atomic_type);
struct ovsdb_type ovsdb_type_optional(enum ovsdb_atomic_type);
struct ovsdb_type ovsdb_type_set(enum ovsdb_atomic_type);
struct ovsdb_type ovsdb_type_map(enum ovsdb_atomic_type key,
                                 enum ovsdb_atomic_type value);

union ovsdb_atom {
    int64_t integer;
    double real;
    bool boolean;
    char *string;               /* Owned by the atom. */
    struct uuid uuid;
};

/* Parses one atom of 'type'.  "named-uuid" is accepted for uuids only when
 * 'named' is nonnull: it is then called to resolve the name (returning
 * false rejects it).  Returns 0 or EINVAL with a message in '*errp'. */
typedef bool ovsdb_named_uuid_cb(const char *name, struct uuid *, void *aux);
int ovsdb_atom_from_json(union ovsdb_atom *, enum ovsdb_atomic_type,
                         const json_t *, ovsdb_named_uuid_cb *named,
                         void *aux, char **errp);
/* JSON for one atom (new reference). */
json_t *ovsdb_atom_to_json(const union ovsdb_atom *, enum ovsdb_atomic_type);
void ovsdb_atom_destroy(union ovsdb_atom *, enum ovsdb_atomic_type);
void ovsdb_atom_clone(union ovsdb_atom *dst, const union ovsdb_atom *src,
                      enum ovsdb_atomic_type);
int ovsdb_atom_compare(const union ovsdb_atom *, const union ovsdb_atom *,
                       enum ovsdb_atomic_type);
/* Text for humans and test output: integers in decimal, reals with %.17g,
 * strings quoted only when needed, uuids in text form. */
void ovsdb_atom_to_text(const union ovsdb_atom *, enum ovsdb_atomic_type,
                        struct dstr *);

struct ovsdb_datum {
    size_t n;                   /* Number of keys (and values). */
    union ovsdb_atom *keys;     /* Sorted, unique. */
    union ovsdb_atom *values;   /* NULL unless a map. */
};

/* An empty datum (valid for any type). */
void ovsdb_datum_init_empty(struct ovsdb_datum *);
/* The type's default: empty for n_min 0, else one default atom (0, 0.0,
 * false, "", the all-zeros uuid). */
void ovsdb_datum_init_default(struct ovsdb_datum *, const struct ovsdb_type *);
void ovsdb_datum_destroy(struct ovsdb_datum *, const struct ovsdb_type *);
void ovsdb_datum_clone(struct ovsdb_datum *dst, const struct ovsdb_datum *src,
                       const struct ovsdb_type *);
void ovsdb_datum_swap(struct ovsdb_datum *, struct ovsdb_datum *);
bool ovsdb_datum_equals(const struct ovsdb_datum *,
                        const struct ovsdb_datum *, const struct ovsdb_type *);

/* Parses a datum of 'type' from its JSON encoding; checks the n_min/n_max
 * bounds and rejects duplicate keys.  'named' as for atoms.  Returns 0 or
 * EINVAL with a message in '*errp' ('datum' is then empty). */
int ovsdb_datum_from_json(struct ovsdb_datum *, const struct ovsdb_type *,
                          const json_t *, ovsdb_named_uuid_cb *named,
                          void *aux, char **errp);
/* JSON encoding (new reference); a one-element non-map datum is written as
 * a bare atom, as ovsdb-server does. */
json_t *ovsdb_datum_to_json(const struct ovsdb_datum *,
                            const struct ovsdb_type *);
/* Same, but every uuid atom for which 'rename' returns a nonnull name is
 * written as ["named-uuid", name] (for rows inserted in a transaction). */
typedef const char *ovsdb_uuid_rename_cb(const struct uuid *, void *aux);
json_t *ovsdb_datum_to_json_renamed(const struct ovsdb_datum *,
                                    const struct ovsdb_type *,
                                    ovsdb_uuid_rename_cb *, void *aux);
/* Text for humans, like ovs-vsctl prints: scalars bare, sets "[a, b]",
 * maps "{k=v, ...}". */
void ovsdb_datum_to_text(const struct ovsdb_datum *,
                         const struct ovsdb_type *, struct dstr *);

/* Applies an "update2" "modify" diff (RFC 7047 extension, OVSDB 2.x) to
 * 'datum' in place.  For a column of at most one value (scalar or
 * optional) 'diff' is the new value, as ovsdb-server 3.1 sends it.  For a
 * set of more, each element of 'diff' that is in 'datum' is removed
 * and each one that is not is added.  For a map, a key absent from 'datum'
 * is added, a key present with the same value is removed, and a key
 * present with a different value has its value replaced.  Returns 0 or
 * EINVAL (then 'datum' is unchanged). */
int ovsdb_datum_apply_diff(struct ovsdb_datum *, const struct ovsdb_type *,
                           const json_t *diff, char **errp);

/* Index of 'key' in the datum's keys, or -1. */
ptrdiff_t ovsdb_datum_find_key(const struct ovsdb_datum *,
                               const union ovsdb_atom *key,
                               enum ovsdb_atomic_type);
/* Sorts keys (with their values) and removes duplicates, keeping the last
 * value for a map.  For datums built by hand. */
void ovsdb_datum_sort_unique(struct ovsdb_datum *, const struct ovsdb_type *);
/* Appends one key (and value for maps) without sorting; follow with
 * ovsdb_datum_sort_unique().  Takes ownership of the atoms. */
void ovsdb_datum_add_unsorted(struct ovsdb_datum *,
                              const union ovsdb_atom *key,
                              const union ovsdb_atom *value);

/* Convenience constructors (the datum owns copies of strings). */
void ovsdb_datum_from_int(struct ovsdb_datum *, int64_t);
void ovsdb_datum_from_bool(struct ovsdb_datum *, bool);
void ovsdb_datum_from_string(struct ovsdb_datum *, const char *);
void ovsdb_datum_from_uuid(struct ovsdb_datum *, const struct uuid *);
void ovsdb_datum_from_smap(struct ovsdb_datum *, const struct smap *);
/* A set of strings (sorted, duplicates dropped). */
void ovsdb_datum_from_strings(struct ovsdb_datum *, const char *const *,
                              size_t n);
/* Converts a string-to-string map datum into 'smap' (initialised by this
 * call); string-to-integer maps get decimal values. */
void ovsdb_datum_to_smap(const struct ovsdb_datum *, const struct ovsdb_type *,
                         struct smap *);

#endif
