/* The audit chain: hashing, appending and verifying (the SQL is in store_decision.c). */
#include "fbreview/audit.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <nettle/sha2.h>

#include "fbreview/store_decision.h"
#include "fbreview/timeutil.h"

static void put_field(struct sha256_ctx *h, const char *v)
{
    if (!v) {
        sha256_update(h, 2, (const uint8_t *)"~\n");
        return;
    }
    char len[32];
    size_t n = strlen(v);
    int k = snprintf(len, sizeof len, "%zu:", n);
    sha256_update(h, (size_t)k, (const uint8_t *)len);
    sha256_update(h, n, (const uint8_t *)v);
    sha256_update(h, 1, (const uint8_t *)"\n");
}

void audit_hash(const char *prev_hash, int64_t seq, int64_t at, const char *actor, const char *kind,
                const char *case_id, const char *ref, const char *detail, char hex[65])
{
    struct sha256_ctx h;
    uint8_t dig[SHA256_DIGEST_SIZE];
    char num[2][24];
    snprintf(num[0], sizeof num[0], "%" PRId64, seq);
    snprintf(num[1], sizeof num[1], "%" PRId64, at);
    sha256_init(&h);
    sha256_update(&h, strlen(prev_hash), (const uint8_t *)prev_hash);
    put_field(&h, num[0]);
    put_field(&h, num[1]);
    put_field(&h, actor);
    put_field(&h, kind);
    put_field(&h, case_id);
    put_field(&h, ref);
    put_field(&h, detail);
    sha256_digest(&h, sizeof dig, dig);
    static const char digits[] = "0123456789abcdef";
    for (size_t i = 0; i < sizeof dig; i++) {
        hex[2 * i] = digits[dig[i] >> 4];
        hex[2 * i + 1] = digits[dig[i] & 15];
    }
    hex[64] = '\0';
}

fb_status audit_append(fb_store *s, const char *actor, const char *kind, const char *case_id, const char *ref,
                       const char *detail, fb_err *err)
{
    int64_t last;
    char prev[65];
    if (store_audit_last(s, &last, prev, err) != FB_OK)
        return err->status;
    fb_audit_row a = {
        .seq = last + 1,
        .at = fb_now_ms(),
        .actor = actor,
        .kind = kind,
        .case_id = case_id,
        .ref = ref,
        .detail = detail ? detail : "",
    };
    snprintf(a.prev_hash, sizeof a.prev_hash, "%s", last ? prev : AUDIT_GENESIS);
    audit_hash(a.prev_hash, a.seq, a.at, a.actor, a.kind, a.case_id, a.ref, a.detail, a.hash);
    return store_audit_insert(s, &a, err);
}

typedef struct verify_ctx {
    fb_store *s;
    fb_audit_report *rep;
    int64_t last_seq;
    char last_hash[65];
} verify_ctx;

static fb_status verify_row(void *vctx, const fb_audit_row *a, fb_err *err)
{
    verify_ctx *v = vctx;
    char want[65];
    const char *problem = NULL;
    if (a->seq != v->last_seq + 1)
        problem = v->last_seq ? "a row before it is missing" : "the chain does not start at seq 1";
    else if (strcmp(a->prev_hash, v->last_seq ? v->last_hash : AUDIT_GENESIS) != 0)
        problem = "its prev_hash does not match the row before it";
    else {
        audit_hash(a->prev_hash, a->seq, a->at, a->actor, a->kind, a->case_id, a->ref, a->detail, want);
        if (strcmp(want, a->hash) != 0)
            problem = "its content does not match its hash (changed after it was written)";
    }
    if (problem) {
        v->rep->bad_seq = a->seq;
        return fb_err_set(err, FB_EINPUT,
                          "store %s: audit row seq %" PRId64 " (%s, case %s) fails verification: %s; "
                          "restore the store from a backup and report it",
                          store_path(v->s), a->seq, a->kind ? a->kind : "?", a->case_id ? a->case_id : "-",
                          problem);
    }
    v->rep->rows++;
    v->last_seq = a->seq;
    snprintf(v->last_hash, sizeof v->last_hash, "%s", a->hash);
    return FB_OK;
}

fb_status audit_verify(fb_store *s, fb_audit_report *out, fb_err *err)
{
    fb_audit_report local;
    fb_audit_report *rep = out ? out : &local;
    rep->rows = 0;
    rep->bad_seq = 0;
    verify_ctx v = {.s = s, .rep = rep, .last_seq = 0};
    v.last_hash[0] = '\0';
    return store_audit_each(s, verify_row, &v, err);
}
