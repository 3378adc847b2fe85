#ifndef FBREVIEW_MODEL_H
#define FBREVIEW_MODEL_H
/* The domain's data: a flagged case with its evidence, and the closed vocabularies
 * (violation codes, actions, roles, link and payment kinds, statuses). Each vocabulary
 * is one X-macro table: the enum, its stable string and its human wording come from it. */

#include <stddef.h>
#include <stdint.h>

#include "fbreview/mem.h"

/* code, stable id, seriousness (1 = serious), what we found, said to the user: the
 * clause after "we found that" in a notice (data/notices.txt), one wording per code */
#define FB_VIOLATION_TABLE(X)                                                                   \
    X(FB_V_FAKE_JOB, "fake_job", 0,                                                             \
      "you created a job only so that positive feedback would be left, not for real work")     \
    X(FB_V_SELF_HIRE, "self_hire", 1,                                                           \
      "you hired yourself from another account")                                               \
    X(FB_V_CONFLICT_OF_INTEREST, "conflict_of_interest", 0,                                     \
      "you received feedback from someone with a conflict of interest, such as a member of "    \
      "your own team, or agreed to trade feedback")                                            \
    X(FB_V_PAID_FEEDBACK, "paid_feedback", 1,                                                   \
      "you offered to pay or refund someone in exchange for positive feedback")                \
    X(FB_V_FREE_WORK_FOR_REVIEW, "free_work_for_review", 0,                                     \
      "you asked for or offered free work in exchange for a good review")                      \
    X(FB_V_FEEDBACK_EXTORTION, "feedback_extortion", 1,                                         \
      "you threatened to leave bad feedback unless the other side left you a good one")

typedef enum fb_violation {
    FB_V_NONE = -1,
#define FB_X(e, s, serious, words) e,
    FB_VIOLATION_TABLE(FB_X)
#undef FB_X
    FB_V_COUNT
} fb_violation;

/* action, stable id, needs a violation code, counts as an earlier violation */
#define FB_ACTION_TABLE(X)                      \
    X(FB_A_NO_VIOLATION, "no_violation", 0, 0)  \
    X(FB_A_EDUCATION,    "education",    1, 1)  \
    X(FB_A_SUSPENSION,   "suspension",   1, 1)  \
    X(FB_A_BLOCK,        "block",        1, 1)  \
    X(FB_A_ESCALATE,     "escalate",     0, 0)

typedef enum fb_action {
    FB_A_NONE = -1,
#define FB_X(e, s, needs_code, counts) e,
    FB_ACTION_TABLE(FB_X)
#undef FB_X
    FB_A_COUNT
} fb_action;

#define FB_ROLE_TABLE(X) \
    X(FB_ROLE_CLIENT, "client") X(FB_ROLE_FREELANCER, "freelancer") X(FB_ROLE_AGENCY, "agency")
typedef enum fb_role {
    FB_ROLE_NONE = -1,
#define FB_X(e, s) e,
    FB_ROLE_TABLE(FB_X)
#undef FB_X
    FB_ROLE_COUNT
} fb_role;

/* link kind, stable id, how a reviewer reads it, identifies one person (1: the trait joins
 * accounts into a cluster across cases; a team or an email pattern does not) */
#define FB_LINK_TABLE(X)                                                  \
    X(FB_LINK_SAME_DEVICE, "same_device", "device", 1)                    \
    X(FB_LINK_SAME_IP, "same_ip", "IP address", 1)                        \
    X(FB_LINK_SAME_PAYMENT_METHOD, "same_payment_method", "payment method", 1) \
    X(FB_LINK_SAME_TEAM, "same_team", "team", 0)                          \
    X(FB_LINK_SAME_ADDRESS, "same_address", "address", 1)                 \
    X(FB_LINK_SAME_EMAIL_PATTERN, "same_email_pattern", "login email pattern", 0)
typedef enum fb_link_kind {
    FB_LINK_NONE = -1,
#define FB_X(e, s, words, joins) e,
    FB_LINK_TABLE(FB_X)
#undef FB_X
    FB_LINK_COUNT
} fb_link_kind;

#define FB_PAY_TABLE(X) \
    X(FB_PAY_PAYMENT, "payment") X(FB_PAY_BONUS, "bonus") X(FB_PAY_REFUND, "refund") X(FB_PAY_MILESTONE, "milestone")
typedef enum fb_pay_kind {
    FB_PAY_NONE = -1,
#define FB_X(e, s) e,
    FB_PAY_TABLE(FB_X)
#undef FB_X
    FB_PAY_COUNT
} fb_pay_kind;

/* Case statuses; how a case moves between them is core/lifecycle.h. A claim is not a
 * status: it is a lease on the case (claim_by, claim_until), live until it runs out. */
#define FB_STATUS_CASE_TABLE(X)                         \
    X(FB_CS_OPEN, "open")                               \
    X(FB_CS_DECIDED, "decided")                         \
    X(FB_CS_PENDING_APPROVAL, "pending_approval")       \
    X(FB_CS_ESCALATED, "escalated")                     \
    X(FB_CS_APPEALED, "appealed")
typedef enum fb_case_status {
    FB_CS_NONE = -1,
#define FB_X(e, s) e,
    FB_STATUS_CASE_TABLE(FB_X)
#undef FB_X
    FB_CS_COUNT
} fb_case_status;

#define FB_SYNC_TABLE(X) \
    X(FB_SYNC_PENDING, "pending") X(FB_SYNC_SYNCED, "synced") X(FB_SYNC_CONFLICT, "conflict") X(FB_SYNC_REJECTED, "rejected")
typedef enum fb_sync_state {
    FB_SYNC_NONE = -1,
#define FB_X(e, s) e,
    FB_SYNC_TABLE(FB_X)
#undef FB_X
    FB_SYNC_COUNT
} fb_sync_state;

/* String <-> enum for each vocabulary; *_from_str returns the NONE value (-1) when unknown. */
const char *fb_violation_str(fb_violation v);      /* NULL for FB_V_NONE */
fb_violation fb_violation_from_str(const char *s);
int fb_violation_serious(fb_violation v);
const char *fb_violation_words(fb_violation v);
const char *fb_action_str(fb_action a);
fb_action fb_action_from_str(const char *s);
int fb_action_needs_violation(fb_action a);
int fb_action_counts_as_violation(fb_action a);

/* The one rule for a suspension's length (POLICY.md: 1 to 365 days): the CLI's --days,
 * the console's prompt, the workflow and the config's [ladder] all ask it. */
#define FB_DAYS_MIN 1
#define FB_DAYS_MAX 365
int fb_days_valid(long long days);
/* A length from text: a whole number of days in range, nothing else around it.
 * 0 and *days set when valid, -1 otherwise. */
int fb_days_parse(const char *text, int *days /* OUT */);
/* "1 day", "30 days": a length as words, in buf. */
const char *fb_days_words(int days, char *buf, size_t size);
const char *fb_role_str(fb_role r);
fb_role fb_role_from_str(const char *s);
const char *fb_link_str(fb_link_kind k);
const char *fb_link_words(fb_link_kind k);
int fb_link_joins(fb_link_kind k);                 /* 1: joins accounts into a cluster */
const char *fb_link_article(fb_link_kind k);       /* "a" or "an", for fb_link_words */
fb_link_kind fb_link_from_str(const char *s);
const char *fb_pay_str(fb_pay_kind k);
fb_pay_kind fb_pay_from_str(const char *s);
const char *fb_case_status_str(fb_case_status s);
fb_case_status fb_case_status_from_str(const char *s);
const char *fb_sync_str(fb_sync_state s);
fb_sync_state fb_sync_from_str(const char *s);

/* Earlier violations of an account, as the ladder counts them (store counts, policy reads). */
typedef struct fb_history {
    int violations;            /* education, suspension, block (not no_violation) */
    int blocks;
} fb_history;

/* ---- the case and its evidence (all strings owned by the case, UTF-8, may be NULL) ---- */

typedef struct fb_prior {
    fb_action action;
    fb_violation violation;      /* FB_V_NONE allowed for no_violation */
    int64_t at;                  /* ms since epoch UTC */
} fb_prior;

typedef struct fb_account {
    char *id;
    fb_role role;
    char *name;
    char *country;
    int64_t created_at;          /* 0 = unknown */
    fb_prior *prior;
    size_t n_prior;
} fb_account;

typedef struct fb_link {
    char *a, *b;
    fb_link_kind kind;
    char *detail;
} fb_link;

typedef struct fb_contract {
    char *id, *client, *freelancer, *title;
    int64_t created_at, started_at, ended_at;   /* 0 = unknown */
    int has_budget;
    int64_t budget_minor;
    char currency[4];
} fb_contract;

typedef struct fb_payment {
    char *id, *from, *to;
    fb_pay_kind kind;
    int64_t amount_minor;
    char currency[4];
    int64_t at;
} fb_payment;

typedef struct fb_feedback {
    char *from, *to;
    int rating;                  /* 1..5 */
    char *text;
    int64_t at;
} fb_feedback;

typedef struct fb_message {
    char *from, *to;
    int64_t at;
    char *body;
} fb_message;

/* Why a case was flagged: computed by core/signals from the evidence. */
typedef struct fb_signal {
    char code[40];
    fb_violation violation;      /* the violation code this signal supports */
    int weight;
    char *sentence;              /* what the reviewer reads */
} fb_signal;

/* Words of a message that made the analyser's frame fire (byte offsets), for highlighting.
 * The first match of each firing carries the sentence that explains it. */
typedef struct fb_match {
    size_t message;              /* index into fb_case.messages */
    size_t start, len;
    fb_violation violation;      /* FB_V_NONE: words that made the analyser unsure, or harmless */
    char *why;                   /* owned; NULL on the other matches of the same firing */
} fb_match;

/* A text field longer than import keeps whole (DESIGN.md §5): the field holds the start
 * of the original; length and sha256 are of the whole original (its UTF-8 bytes), so the
 * reviewer sees that it was cut and the original can be matched. */
#define FB_FIELD_PATH_MAX 64
typedef struct fb_cut {
    char field[FB_FIELD_PATH_MAX];   /* "messages[12].body", named as import names fields */
    uint64_t kept;                   /* bytes kept */
    uint64_t length;                 /* bytes in the original */
    char sha256[65];                 /* lowercase hex */
} fb_cut;

typedef struct fb_case {
    char *id;
    int64_t opened_at;
    char *source;
    fb_violation alleged;        /* FB_V_NONE if not given */

    fb_account *accounts;   size_t n_accounts;
    fb_link *links;         size_t n_links;
    int has_contract;
    fb_contract contract;
    fb_payment *payments;   size_t n_payments;
    fb_feedback *feedback;  size_t n_feedback;
    fb_message *messages;   size_t n_messages;
    fb_cut *cuts;           size_t n_cuts;      /* text fields cut on import */

    /* derived on ingest */
    char *subject, *counterparty;       /* account ids */
    fb_signal *signals;     size_t n_signals;
    fb_match *matches;      size_t n_matches;
    int risk;                           /* 0..100 */
    fb_violation suggested;             /* highest summed weight, FB_V_NONE if no signal */
    uint64_t analysis;                  /* fingerprint of the rules and analyser the signals and
                                         * matches come from (ingest.h); 0: not recorded */

    /* store state (filled by store_case_load) */
    fb_case_status status;
    char *claim_by;
    int64_t claim_until;
    int64_t updated_at;
    int64_t purged_at;                  /* evidence purged by local retention (0 = kept) */
    int purged_days;                    /* the retention setting it was purged under */
    int has_decision;                   /* any decision, even undone: its signals stay as seen */
} fb_case;

/* ---- cross-case structure around one case (store_structure reads it, signals weigh it,
 * the console and `show` list it). Lists are capped at FB_STRUCT_LIST entries. ---- */
#define FB_STRUCT_LIST 12

/* A feedback ring: accounts[i] hired accounts[i+1] (the last hired the first) and gave
 * them 5 stars, in cases[i]; cases[0] is the case the ring was found for. */
typedef struct fb_ring {
    int length;                  /* 2: they hired each other; 3: A -> B -> C -> A */
    char *accounts[3];
    char *cases[3];
} fb_ring;

/* Accounts joined by traits that identify one person (fb_link_joins), across all cases. */
typedef struct fb_cluster {
    int64_t id;
    int64_t size;                /* accounts in it, this case's own included */
    char *member;                /* this case's account in it (the first in the case's order) */
    char **others;  size_t n_others;   /* members that are not this case's accounts */
    int more_others;             /* more than listed */
    char **cases;   size_t n_cases;    /* other cases with a member */
    int more_cases;
} fb_cluster;

typedef struct fb_structure {
    fb_ring *rings;         size_t n_rings;
    fb_cluster *clusters;   size_t n_clusters;
    /* Subject and counterparty are in one cluster though this case links them by no
     * identifying trait: they are joined through other cases. */
    int parties_joined;
    /* How: a link of their own in another case (direct_case set, with its kind), else a
     * third account linked to both when there is one (via: its links' kinds and cases). */
    fb_link_kind direct_kind;
    char *direct_case;
    char *via;
    fb_link_kind via_kind[2];    /* [0] with the subject, [1] with the counterparty */
    char *via_case[2];
} fb_structure;

void fb_structure_clear(fb_structure *st);
/* 1 if f is 5-star feedback from the side that hired (the contract's client, else an
 * account in the client role) to the side hired: the edges feedback rings are made of.
 * Two accounts rating each other after one contract is normal; hiring each other is not. */
int fb_feedback_hire_praise(const fb_case *c, const fb_feedback *f);

/* The message analyser's rules as text (data/lexicon.tsv, data/frames.tsv and the store's
 * lexicon_term and frame_rule tables); core/analyse validates and compiles them. */
typedef struct fb_term_row {
    const char *cls;         /* a class name, or "spelling" / "ignore" */
    const char *term;        /* a word pattern (core/pattern.h) */
} fb_term_row;

typedef struct fb_frame_row {
    const char *name;        /* [a-z0-9_], unique */
    const char *outcome;     /* a violation code, "read" or "ok" */
    int weight;              /* 1..100 for a violation, 0 for read and ok */
    const char *scope;       /* "sentence" or "message" */
    const char *needs;       /* class names separated by spaces; !class = must be absent */
    const char *sentence;    /* the explanation; {class} is replaced by the words matched */
} fb_frame_row;

fb_case *fb_case_new(void);
void fb_case_free(fb_case **c);
/* Resets derived fields (signals, matches, risk, suggested). */
void fb_case_clear_derived(fb_case *c);
/* The cut record of a field ("messages[3].body"), or NULL when it is whole. */
const fb_cut *fb_case_cut(const fb_case *c, const char *field);
/* The path of a field as fb_cut.field names it: "source", "contract.title", or
 * list[index].member ("messages[3].body"); index < 0 for no index. */
const char *fb_field_path(char *buf, size_t n, const char *list, long index, const char *member);
/* The account with this id, or NULL. */
const fb_account *fb_case_account(const fb_case *c, const char *id);


#endif
