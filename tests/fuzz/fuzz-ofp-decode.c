/* fuzz-ofp-decode.c: libFuzzer target for the OpenFlow codec.
 *
 * Treats the input as one OpenFlow message (its header length is forced to
 * the input size so that the fuzzer reaches the decoders instead of the
 * framing check), decodes it with the decoder of its type, re-encodes what
 * decoded, and checks that the re-encoded message decodes again.  Also
 * formats decoded flow-mods as text.  AddressSanitizer catches any read
 * outside the input. */
#include <config.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "openflow/openflow.h"
#include "../unit/ofp-roundtrip.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
format_flow_mod(const uint8_t *msg, size_t len)
{
    struct ofp_flow_mod fm;
    ofp_flow_mod_init(&fm);
    if (!ofp_decode_flow_mod(msg, len, true, &fm)) {
        struct dstr s;
        dstr_init(&s);
        ofmatch_format(&fm.match, fm.priority, &s);
        dstr_put_char(&s, ' ');
        ofinsts_format(&fm.insts, &s);
        dstr_destroy(&s);
    }
    ofp_flow_mod_uninit(&fm);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 8 || size > OFP_MAX_MSG_LEN) {
        /* Still exercise the framing check on short input. */
        enum ofptype type;
        if (size <= OFP_MAX_MSG_LEN) {
            (void) ofptype_decode(data, size, &type);
        }
        return 0;
    }
    /* A private copy: the decoders must not need more than 'size' bytes,
     * and ASan flags any read past it. */
    uint8_t *msg = malloc(size);
    memcpy(msg, data, size);
    ofp_put_be16(msg + 2, size);

    struct ofpbuf out = OFPBUF_INITIALIZER, again = OFPBUF_INITIALIZER;
    enum ofperr error = ofp_roundtrip(msg, size, &out);
    if (error && !ofperr_is_valid(error) && error != (enum ofperr) EOF) {
        fprintf(stderr, "decoder returned invalid error %d\n", error);
        abort();
    }
    if (!error && out.size) {
        enum ofperr error2 = ofp_roundtrip(out.data, out.size, &again);
        if (error2) {
            fprintf(stderr, "re-encoded message fails to decode: %s\n",
                    ofperr_name(error2));
            abort();
        }
    }
    /* Every error must have an encoding in every version (after fallback). */
    if (error) {
        struct ofpbuf reply = OFPBUF_INITIALIZER;
        uint8_t version = (OFP_SUPPORTED_VERSIONS >> (msg[0] & 31)) & 1
                          ? msg[0] : OFP10_VERSION;
        ofp_encode_error(error, version, msg, size, &reply);
        uint16_t type, code;
        if (!ofperr_encode(ofperr_fallback(error, version), version, &type,
                           &code)) {
            fprintf(stderr, "%s has no encoding in version %d\n",
                    ofperr_name(error), version);
            abort();
        }
        ofpbuf_uninit(&reply);
    }
    format_flow_mod(msg, size);
    ofpbuf_uninit(&out);
    ofpbuf_uninit(&again);
    free(msg);
    return 0;
}
