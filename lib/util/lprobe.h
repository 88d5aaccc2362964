/* lprobe.h: deletion from open-addressing hash tables with linear
 * probing, for tables whose slots begin with their key's 32-bit hash.
 * Pure functions on the caller's array; the caller's thread rules apply. */
#ifndef OVSNFV_LPROBE_H
#define OVSNFV_LPROBE_H 1

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* Empties slot 'i' of 'slots' ('mask' + 1 slots of 'size' bytes each, the
 * first 4 bytes of a slot its hash; 'used' tells occupied slots apart) by
 * backward shifting: later slots of the same probe run move back into the
 * hole, so every remaining key is still found from its home slot without
 * tombstones.  Returns the index of the slot left free, for the caller to
 * mark empty. */
static inline uint32_t
lprobe_delete(void *slots, size_t size, uint32_t mask, uint32_t i,
              bool (*used)(const void *slot))
{
    uint8_t *base = slots;
    uint32_t hole = i;
    for (uint32_t j = (i + 1) & mask; used(base + j * size);
         j = (j + 1) & mask) {
        uint32_t hash;
        memcpy(&hash, base + j * size, sizeof hash);
        uint32_t home = hash & mask;
        /* The entry at j may move to the hole unless its home lies
         * cyclically in (hole, j]. */
        bool stays = hole <= j ? (home > hole && home <= j)
                               : (home > hole || home <= j);
        if (!stays) {
            memcpy(base + hole * size, base + j * size, size);
            hole = j;
        }
    }
    return hole;
}

#endif
