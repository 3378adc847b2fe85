/* Demo data: realistic synthetic "feedback building" cases with a known ground truth.
 *
 * Every value comes from a private PRNG (splitmix64 seeding xoshiro256**) keyed on
 * (seed, index) for a case and on (seed, kind, number) for an account, so a case is a
 * pure function of its index and an account looks the same in every case it appears in.
 * Nothing reads the clock: times are laid out relative to the caller's `now`. */
#include "fbreview/demo.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fbreview/ingest.h"
#include "fbreview/progress.h"

#define MIN_MS INT64_C(60000)
#define HOUR_MS (60 * MIN_MS)
#define DAY_MS (24 * HOUR_MS)
#define N_OF(a) ((int)(sizeof(a) / sizeof((a)[0])))

/* ---- PRNG ---- */

typedef struct rng {
    uint64_t s[4];
} rng;

static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += UINT64_C(0x9e3779b97f4a7c15));
    z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
    return z ^ (z >> 31);
}

static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

static uint64_t rng_next(rng *r)
{
    uint64_t *s = r->s;
    uint64_t out = rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return out;
}

/* Streams for different purposes never overlap in practice: each key is hashed in turn. */
static void rng_init(rng *r, uint64_t seed, uint64_t a, uint64_t b)
{
    uint64_t x = seed;
    uint64_t h = splitmix64(&x);
    x = h ^ a;
    h = splitmix64(&x);
    x = h ^ b;
    h = splitmix64(&x);
    x = h;
    for (int i = 0; i < 4; i++)
        r->s[i] = splitmix64(&x);
}

/* Uniform in [0, n) for n < 2^32 (multiply-shift; the bias is negligible here). */
static int64_t rng_below(rng *r, int64_t n)
{
    if (n <= 1)
        return 0;
    return (int64_t)(((rng_next(r) >> 32) * (uint64_t)n) >> 32);
}

static int64_t rng_range(rng *r, int64_t lo, int64_t hi) { return lo + rng_below(r, hi - lo + 1); }
/* True with probability permille/1000. */
static int rng_chance(rng *r, int permille) { return rng_below(r, 1000) < permille; }
#define PICK(r, arr) ((arr)[rng_below((r), N_OF(arr))])

/* ---- word lists ---- */

static const char *const first_names[] = {
    "Amara", "Jonas", "Priya", "Mateo", "Yuki", "Olena", "Kwame", "Sofia", "Liam", "Aisha",
    "Chen", "Fatima", "Lucas", "Ingrid", "Diego", "Mei", "Tomasz", "Nadia", "Ravi", "Elif",
    "Oliver", "Zanele", "Hugo", "Leila", "Bruno", "Hana", "Arjun", "Camila", "Erik", "Noor",
    "Sipho", "Chiara", "Dmitri", "Ana", "Kofi", "Isabel", "Minh", "Greta", "Tariq", "Lucía",
    "Jun", "Ayesha", "Pablo", "Freya", "Emeka", "Marta", "Hiroshi", "Zeynep", "Samuel", "Björn",
};
static const char *const last_names[] = {
    "Okafor", "Müller", "Sharma", "García", "Tanaka", "Kovalenko", "Mensah", "Rossi", "Walsh",
    "Rahman", "Wang", "Haddad", "Silva", "Larsen", "Fernández", "Lin", "Nowak", "Petrova",
    "Iyer", "Yılmaz", "Brown", "Dlamini", "Moreau", "Karimi", "Costa", "Sato", "Patel",
    "López", "Johansson", "Aziz", "Nkosi", "Bianchi", "Ivanov", "Santos", "Boateng", "Ruiz",
    "Nguyen", "Schmidt", "Hussain", "Martín", "Kim", "Qureshi", "Díaz", "Andersen", "Eze",
    "Kowalska", "Suzuki", "Demir", "Cohen", "Lindqvist",
};
static const char *const company_words[] = {
    "Acme", "Northwind", "Bluepeak", "Lumen", "Harbor", "Cobalt", "Maple", "Vertex", "Saffron",
    "Orbit", "Juniper", "Pioneer", "Quartz", "Redwood", "Summit", "Tidal", "Umbra", "Vela",
    "Willow", "Zenith", "Brightline", "Copperleaf", "Driftwood", "Evergreen", "Foxglove",
    "Granite", "Helix", "Ironbark", "Kestrel", "Lakeside",
};
static const char *const company_suffixes[] = {
    "LLC", "Ltd", "GmbH", "Inc.", "Studio", "Labs", "& Co.", "Media", "Partners", "S.A.",
    "Digital", "Trading", "Ventures", "Consulting", "BV",
};
static const char *const agency_suffixes[] = {
    "Digital Agency", "Creative Collective", "Dev Shop", "Design Agency", "Marketing Group",
    "Studio Team",
};
/* Weighted by repetition: more accounts from the big markets. */
static const char *const countries[] = {
    "US", "US", "US", "US", "IN", "IN", "IN", "GB", "GB", "PK", "PH", "PH", "UA", "NG", "DE",
    "DE", "BR", "BD", "CA", "FR", "ES", "EG", "KE", "RS", "PL", "AR", "VN", "ID", "AU", "NL",
    "TR", "MX", "ZA", "JP", "IT", "RO",
};
static const char *const currencies[] = {
    "USD", "USD", "USD", "USD", "USD", "USD", "USD", "USD", "USD", "USD", "USD", "USD", "USD",
    "USD", "USD", "EUR", "EUR", "EUR", "GBP", "CAD",
};
static const char *const titles[] = {
    "Logo design", "WordPress bug fix", "Translate product page EN→DE", "Data entry (200 rows)",
    "Shopify theme tweaks", "Write 5 blog posts", "Python scraper for price lists",
    "Mobile app UI mockups", "Proofread thesis chapter", "SEO audit", "Excel sales dashboard",
    "Video editing (3 min promo)", "Fix CSS on checkout page", "Social media banners",
    "Voice-over, 60 seconds", "React date-picker component", "Set up Google Analytics 4",
    "Illustration for a children's book", "Podcast editing, 4 episodes", "Résumé rewrite",
    "Übersetzung Website DE→EN", "Database migration to PostgreSQL", "Landing page copy",
    "Bookkeeping for Q3", "Product photos retouching", "Chrome extension MVP",
    "Email newsletter template", "Unity game prototype", "Legal contract review",
    "Pitch deck design",
};
static const char *const fake_titles[] = {
    "Test", "quick task", "Small job", "Consultation", "Task #1", "job", "Quick review",
    "Logo design", "Data entry", "1 hour task",
};
static const char *const streets[] = {
    "Harbour St", "Rue de la Paix", "Hauptstraße", "Calle Mayor", "MG Road", "Baker St",
    "Nowy Świat", "Ring Road", "Avenida Paulista", "Oak Avenue",
};
static const char *const cities[] = {
    "Leeds", "Lyon", "Leipzig", "Valencia", "Bengaluru", "London", "Warsaw", "Lagos",
    "São Paulo", "Austin",
};
static const char *const mail_domains[] = {"gmail.com", "outlook.com", "yahoo.com", "proton.me", "mail.ru"};

/* Openers and closers around a telltale phrase, so no signal can key on one template. */
static const char *const openers[] = {"", "", "", "Hi %s, ", "Hey %s! ", "Hello %s. ", "%s, ", "Thanks %s. ", "Ok. ", "Btw "};
static const char *const closers[] = {"", "", "", " Thanks!", " :)", " Deal?", " Let me know.", " Cheers", " 🙏", " ok?"};

static const char *const chatter[] = {
    "Thanks for the invite, happy to help with this.",
    "Could you share the brand colours and fonts?",
    "First draft attached, let me know what you think.",
    "Looks good, can we make the header a bit smaller?",
    "Sure, updated version coming tonight.",
    "Files uploaded to the shared folder.",
    "Thanks, received.",
    "What's the deadline on your side?",
    "I pushed the fix to the staging branch.",
    "Invoice sent for the first milestone.",
    "Great, approved.",
    "Can we have a quick call tomorrow at 10?",
    "All done. The final files are in the attachment.",
    "Thanks a lot, really happy with the result!",
    "Small change: the logo should be on the left.",
    "I'll be offline on Friday, back Monday.",
    "Here is the spreadsheet with the corrections.",
    "The client loved it, thanks again.",
    "Is the budget fixed or hourly?",
    "Just checking in — any feedback on version 2?",
    "Перевёл второй раздел, посмотрите пожалуйста.",
    "Danke, passt so!",
    "Perfecto, gracias por la rapidez.",
};
static const char *const chatter_refund_noise[] = {
    "I refunded the two unused hours, as agreed.",
    "Sent back the unused part of the milestone, you were overcharged by mistake.",
    "Added a small bonus for the extra revisions, thanks!",
};

/* The telltale messages. Written apart from the phrase rules (data/phrases.tsv) and in
 * many voices: paraphrase, chat spelling, non-native English, emoji. The demo must not
 * be a mirror of the rules it is used to measure. */
static const char *const paid_refund_phrases[] = {
    "once the stars are up on my page I send you back the full fee, ok?",
    "u give me top rating, i return ur money same day",
    "Tell you what: post a glowing write-up and I'll reverse the charge.",
    "I can give back half of the price, you just need to put 5/5 for me.",
    "pls rate maximum and i make return of payment, is normal practice here",
    "Happy to send back what you paid as soon as my score shows 5.0",
    "If your review says five out of five, the money comes back to you. Fair?",
    "I'll PayPal you the whole amount after you post the review (top marks pls)",
    "Your payment goes back to you the moment I see ★★★★★ on my profile.",
    "you rate me excellent and i will send all money back, no problem for me",
    "Consider it free: full reimbursement after a 5* review from your side.",
    "Small favour: leave me the best score and I cancel the charge for you.",
};
static const char *const paid_bonus_phrases[] = {
    "There's an extra $25 waiting for you if the review you leave me is a glowing one.",
    "ill tip u 20 bucks for a top score on my client profile",
    "Give my company a perfect rating and I'll add something extra to the milestone.",
    "A little thank-you payment goes out once you've rated us highly :)",
    "Rate our collaboration 5/5 and I send bonus, promise",
    "Put 5 stars on our profile and a gift card is yours.",
    "we pay 15% more to freelancers who give us max rating, just saying",
};
static const char *const fake_phrases[] = {
    "Contract is just a formality, accept and I end it right away.",
    "dont worry about any deliverable, it's only so the rating shows up",
    "Open it, close it, stars. Like last week.",
    "Nothing needs to be done on this one, I only want the feedback posted.",
    "pls accept fast, i close in 5 min and put review",
    "This job is a placeholder, we both know that. Just hit complete.",
    "No files needed bro, only the stars",
    "Same deal as before: I pay 1 dollar, you close, we both rate.",
};
static const char *const fake_chatter[] = {"ok", "done", "Accepted", "👍", "closed", "thx", "sent", "k"};
static const char *const self_phrases[] = {
    "test", "ok", ".", "accept pls", "switching to the other login, accepting from there",
    "closing", "123", "same laptop lol",
};
static const char *const coi_phrases[] = {
    "Since we're both at %s, a quick top rating from you would help me climb.",
    "Manager wants all of us at %s to rate one another's profiles this sprint.",
    "hey, it's me from the design team, can u drop a 5 on my profile?",
    "You leave one for me, I leave one for you, like the others in our office did.",
    "We sit at the same desk cluster, so a good word from you is easy ;)",
    "Let's do each other a favour: your review on mine, mine on yours.",
    "Our team lead said ratings between us are fine, so go ahead with 5 stars.",
    "bro we work together at %s, just give me good stars no one will check",
};
static const char *const free_phrases[] = {
    "I won't bill you for this one, just leave something nice on my profile after.",
    "pls do small logo no payment, and i give u best review after",
    "First task is on the house if you rate me well afterwards.",
    "We can set it at $0; your kind words on my page are payment enough.",
    "I'm starting out, so I'll skip the fee if you write me a strong review.",
    "Do the sample unpaid and I'll give your profile 5/5, deal?",
    "free of cost for u, only requirement is good feedback :)",
    "no money needed, just the five stars when it's finished",
};
static const char *const extortion_phrases[] = {
    "You have until tonight to rate me 5. After that I post a 1-star and tell everyone.",
    "Give me top marks. If not, your profile gets the worst review I can write.",
    "i will destroy ur rating if i dont see 5 stars, last warning",
    "Raise your score for me or I report you to support and leave negative feedback.",
    "Think carefully about the rating you give. I can write reviews too.",
    "No 5 stars = 1 star from me. Simple.",
    "Better fix that 3-star you left, otherwise my review of you won't be kind.",
    "Nice profile you have. Would be sad if it got a pile of bad reviews.",
};
/* The threat said without a single rating word. */
static const char *const extortion_vague[] = {
    "Hope you remember what we agreed about my score.",
    "Think about what you write about me. I will do the same about you.",
};
static const char *const extortion_protest[] = {
    "Please stop, this is not fair.", "this is blackmail, I'm reporting it", "I don't accept this.",
};
static const char *const honest_phrases[] = {
    "If you have a minute, I'd appreciate an honest review, whatever you think is fair.",
    "Thanks for the smooth project! Feedback helps me a lot, but no pressure.",
    "whenever u have time pls leave feedback, good or bad both help me improve",
    "It was great working with you. If you'd like to rate the contract, that would be kind.",
    "Would you be willing to share a few words about how the project went?",
    "Any review is welcome, thanks for trusting me with this.",
    "Once you're happy with the final files, a review would be appreciated.",
    "pls if possible give feedback for my work, it is help me to grow on platform",
};
/* No violation, but reviews sit next to money, conditions or colleagues without a trade:
 * the analyser should not dismiss these on its own ("read this case"). */
static const char *const ambiguous_phrases[] = {
    "I refunded the extra hour. Also, when you get a chance, could you leave a review?",
    "If the result is good please leave a review, if not tell me and I fix it for free.",
    "I gave you a discount because the job was quick. Feedback welcome whenever.",
    "The client said he'd leave 1 star unless I redo everything. Is that allowed?",
    "Will you leave feedback once the bonus milestone is paid?",
    "My colleague recommended you, I'll rate after the payment clears.",
    "A 5-star rating would really help me; the refund for the cancelled part is already sent.",
    "I will never ask for a refund in exchange for a review, that's against the rules.",
    "The review period is 14 days, after that the money is released automatically.",
    "tip sent for the fast delivery! rating comes tomorrow when I'm at my desk",
};

/* Hostile or tricky text a user can type: the renderer must make it harmless. Valid UTF-8. */
static const char *const tricky[] = {
    "\x1b[2J\x1b[Hyour session expired, log in again",
    "\x1b]0;pwned\x07 check this out",
    "\x1b[31mURGENT\x1b[0m pay now",
    "\xc2\x9b" "6n C1 control here",
    "invoice_\xe2\x80\xae" "fdp.exe",
    "zero\xe2\x80\x8bwidth\xe2\x80\x8bspaces",
    "谢谢你的帮助！我们下周再联系。",
    "Great job 👍🎉🔥 five stars ⭐⭐⭐⭐⭐",
    "progress\r100% done\b\b\b\bdone",
    "\xe2\x80\x8f" "مرحبا، شكرا على العمل",
    "tab\there\tand a bell\x07",
};

static const char *const fb_text5[] = {
    "Amazing work!", "Great to work with, highly recommended.", "Perfect.", "Top notch, fast and friendly.",
    "Excellent communication and quality.", "5 stars!!!", "Would hire again.", "Sehr gut, gerne wieder.",
};
static const char *const fb_text4[] = {
    "Good work, a couple of small delays.", "Solid result.", "Nice job overall.", "Did what was asked.",
};
static const char *const fb_text3[] = {
    "OK in the end, but it took a lot of back and forth.", "Average.", "Fine, nothing special.",
};
static const char *const fb_text_low[] = {
    "Missed the deadline twice.", "Not what we agreed.", "Communication was difficult.",
    "Terrible experience.",
};

/* ---- accounts ---- */

/* Account number spaces; the id is "u-" + (number * 8 + kind), so ids never collide. */
enum {
    AK_FREELANCER = 1,   /* one per case */
    AK_CLIENT = 2,       /* one per case */
    AK_SECOND = 3,       /* a self-hire's second account, new, one per case */
    AK_TEAMMATE = 4,     /* a colleague in the same agency */
    AK_AGENCY = 5,
    AK_FREELANCER_POOL = 6,  /* freelancers seen in several cases */
    AK_CLIENT_POOL = 7,      /* clients that hire often */
};

typedef struct profile {
    char id[24];
    char name[128];
    char first[48];       /* for message openers */
    char last[48];
    char email_user[64];  /* login email pattern */
    char country[3];
    int64_t created_at;
    unsigned card4, device;
    fb_prior prior[4];
    size_t n_prior;
} profile;

static void buf_fmt(char *buf, size_t n, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void buf_fmt(char *buf, size_t n, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, n, fmt, ap);
    va_end(ap);
}

/* Copies tmpl with its first "%s" replaced by value (templates are data, not formats). */
static void subst(char *buf, size_t n, const char *tmpl, const char *value)
{
    const char *hole = strstr(tmpl, "%s");
    if (!hole)
        buf_fmt(buf, n, "%s", tmpl);
    else
        buf_fmt(buf, n, "%.*s%s%s", (int)(hole - tmpl), tmpl, value, hole + 2);
}

/* Lower-case ASCII letters only (for email patterns). */
static void ascii_lower(char *dst, size_t n, const char *src)
{
    size_t j = 0;
    for (const unsigned char *p = (const unsigned char *)src; *p && j + 1 < n; p++) {
        if (*p >= 'A' && *p <= 'Z')
            dst[j++] = (char)(*p - 'A' + 'a');
        else if ((*p >= 'a' && *p <= 'z') || *p == '.')
            dst[j++] = (char)*p;
    }
    dst[j] = '\0';
}

/* Earlier enforcement: most accounts have none, some one, a few two or more or a block,
 * so every rung of the ladder occurs. */
static void profile_priors(profile *p, rng *r, int64_t now)
{
    int64_t latest = now - 20 * DAY_MS;
    int64_t from = p->created_at < latest ? p->created_at : latest - DAY_MS;
    int64_t roll = rng_below(r, 1000);
    int n = roll < 640 ? 0 : roll < 850 ? 1 : roll < 940 ? 2 : 3;
    int block = rng_chance(r, 35);
    if (block && n == 0)
        n = 1;
    for (int i = 0; i < n; i++) {
        fb_prior *pr = &p->prior[p->n_prior++];
        pr->action = rng_chance(r, 550) ? FB_A_EDUCATION : FB_A_SUSPENSION;
        pr->violation = (fb_violation)rng_below(r, FB_V_COUNT);
        pr->at = from + rng_below(r, (latest - from) / MIN_MS + 1) * MIN_MS;
    }
    if (block && p->n_prior > 0)
        p->prior[p->n_prior - 1].action = FB_A_BLOCK;
    /* A dismissed earlier case does not count: noise for the ladder. */
    if (rng_chance(r, 50) && p->n_prior < N_OF(p->prior)) {
        fb_prior *pr = &p->prior[p->n_prior++];
        pr->action = FB_A_NO_VIOLATION;
        pr->violation = FB_V_NONE;
        pr->at = from + rng_below(r, (latest - from) / MIN_MS + 1) * MIN_MS;
    }
    /* Stored in time order, as a history reads. */
    for (size_t i = 1; i < p->n_prior; i++)
        for (size_t j = i; j > 0 && p->prior[j].at < p->prior[j - 1].at; j--) {
            fb_prior t = p->prior[j];
            p->prior[j] = p->prior[j - 1];
            p->prior[j - 1] = t;
        }
}

/* An account as a pure function of (seed, now, kind, number). */
static void profile_make(profile *p, uint64_t seed, int64_t now, int kind, int64_t num)
{
    rng r;
    rng_init(&r, seed, UINT64_C(0xacc0000000000000) | (uint64_t)kind, (uint64_t)num);
    memset(p, 0, sizeof *p);
    buf_fmt(p->id, sizeof p->id, "u-%08lld", (long long)(num * 8 + kind));
    const char *fn = PICK(&r, first_names), *ln = PICK(&r, last_names);
    int person = kind == AK_FREELANCER || kind == AK_FREELANCER_POOL || kind == AK_TEAMMATE ||
                 ((kind == AK_CLIENT || kind == AK_CLIENT_POOL) && rng_chance(&r, 400));
    if (kind == AK_AGENCY)
        buf_fmt(p->name, sizeof p->name, "%s %s", PICK(&r, company_words), PICK(&r, agency_suffixes));
    else if (!person)
        buf_fmt(p->name, sizeof p->name, "%s %s", PICK(&r, company_words), PICK(&r, company_suffixes));
    else if (rng_chance(&r, 150))
        buf_fmt(p->name, sizeof p->name, "%.1s. %s", fn, ln);
    else
        buf_fmt(p->name, sizeof p->name, "%s %s", fn, ln);
    buf_fmt(p->first, sizeof p->first, "%s", person ? fn : "team");
    buf_fmt(p->last, sizeof p->last, "%s", ln);
    char f[40], l[40];
    ascii_lower(f, sizeof f, fn);
    ascii_lower(l, sizeof l, ln);
    buf_fmt(p->email_user, sizeof p->email_user, "%s.%s", f[0] ? f : "user", l[0] ? l : "x");
    buf_fmt(p->country, sizeof p->country, "%s", PICK(&r, countries));
    p->created_at = now - rng_range(&r, 45, 2900) * DAY_MS - rng_below(&r, DAY_MS / 1000) * 1000;
    p->card4 = (unsigned)rng_range(&r, 1000, 9999);
    p->device = (unsigned)rng_next(&r);
    if (kind != AK_AGENCY && kind != AK_TEAMMATE)
        profile_priors(p, &r, now);
}

/* A self-hire's second account: a fresh account whose name often echoes the first. */
static void profile_second(profile *p, const profile *main_acct, uint64_t seed, int64_t now, int64_t index, rng *r)
{
    profile_make(p, seed, now, AK_SECOND, index);
    p->n_prior = 0;
    switch (rng_below(r, 5)) {
    case 0: buf_fmt(p->name, sizeof p->name, "%s Consulting", main_acct->name); break;
    case 1: buf_fmt(p->name, sizeof p->name, "%.1s. %s", main_acct->first, main_acct->last); break;
    case 2: buf_fmt(p->name, sizeof p->name, "%s2", main_acct->email_user); break;
    default: break;   /* an unrelated-looking name: the links give it away, not the name */
    }
    if (rng_chance(r, 800))
        memcpy(p->country, main_acct->country, sizeof p->country);
}

/* ---- building a case ---- */

typedef struct gen {
    rng r;
    uint64_t seed;
    int64_t now;           /* the moment the demo is made: every time is laid out before it */
    int64_t index;
    fb_case *c;
    unsigned rel_created;  /* bit i: account i was created relative to the contract */
    int ambiguous;         /* fb_demo_truth.ambiguous */
} gen;

static char *dupf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char *dupf(const char *fmt, ...)
{
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    return fb_strdup(buf);
}

#define GROW(g, arr, n) fb_grow((void **)&(g)->c->arr, &(g)->c->n, sizeof *(g)->c->arr)

static fb_status add_account(gen *g, const profile *p, fb_role role, int64_t created_rel, fb_err *err)
{
    fb_account *a = GROW(g, accounts, n_accounts);
    if (!a)
        return fb_err_set(err, FB_ENOMEM, "out of memory generating demo case %lld", (long long)g->index);
    a->id = fb_strdup(p->id);
    a->role = role;
    a->name = fb_strdup(p->name);
    a->country = fb_strdup(p->country);
    /* A relative creation time (new accounts) is shifted with the rest of the case. */
    a->created_at = created_rel != INT64_MIN ? created_rel : p->created_at;
    if (created_rel != INT64_MIN)
        g->rel_created |= 1u << (g->c->n_accounts - 1);
    if (p->n_prior) {
        a->prior = malloc(p->n_prior * sizeof *a->prior);
        if (!a->prior)
            return fb_err_set(err, FB_ENOMEM, "out of memory generating demo case %lld", (long long)g->index);
        memcpy(a->prior, p->prior, p->n_prior * sizeof *a->prior);
        a->n_prior = p->n_prior;
    }
    return FB_OK;
}

static fb_status add_link(gen *g, const char *a, const char *b, fb_link_kind kind, char *detail, fb_err *err)
{
    fb_link *l = GROW(g, links, n_links);
    if (!l) {
        free(detail);
        return fb_err_set(err, FB_ENOMEM, "out of memory generating demo case %lld", (long long)g->index);
    }
    l->a = fb_strdup(a);
    l->b = fb_strdup(b);
    l->kind = kind;
    l->detail = detail;
    return FB_OK;
}

static fb_status add_payment(gen *g, const char *from, const char *to, fb_pay_kind kind, int64_t amount,
                             int64_t at, fb_err *err)
{
    fb_payment *p = GROW(g, payments, n_payments);
    if (!p)
        return fb_err_set(err, FB_ENOMEM, "out of memory generating demo case %lld", (long long)g->index);
    p->id = dupf("P-%07lld-%zu", (long long)g->index, g->c->n_payments);
    p->from = fb_strdup(from);
    p->to = fb_strdup(to);
    p->kind = kind;
    p->amount_minor = amount;
    memcpy(p->currency, g->c->contract.currency, 4);
    p->at = at;
    return FB_OK;
}

static fb_status add_feedback(gen *g, const char *from, const char *to, int rating, int64_t at, fb_err *err)
{
    fb_feedback *f = GROW(g, feedback, n_feedback);
    if (!f)
        return fb_err_set(err, FB_ENOMEM, "out of memory generating demo case %lld", (long long)g->index);
    f->from = fb_strdup(from);
    f->to = fb_strdup(to);
    f->rating = rating;
    f->text = fb_strdup(rating == 5 ? PICK(&g->r, fb_text5) : rating == 4 ? PICK(&g->r, fb_text4)
                                                                          : rating == 3 ? PICK(&g->r, fb_text3)
                                                                                        : PICK(&g->r, fb_text_low));
    f->at = at;
    return FB_OK;
}

/* One planned message: who writes and what (time is assigned when the thread is laid out). */
typedef struct plan_msg {
    int from_client;      /* 1: client writes, 0: freelancer writes */
    const char *body;     /* template or literal */
    int telltale;         /* wrap in an opener and closer */
} plan_msg;

typedef struct thread {
    plan_msg m[12];
    int n;
} thread;

static void thread_add(thread *t, int from_client, const char *body, int telltale)
{
    if (t->n < N_OF(t->m))
        t->m[t->n++] = (plan_msg){from_client, body, telltale};
}

/* Neutral work chatter, alternating sides, starting with either. */
static void thread_chatter(gen *g, thread *t, int n)
{
    int side = (int)rng_below(&g->r, 2);
    for (int i = 0; i < n; i++, side ^= 1)
        thread_add(t, side, PICK(&g->r, chatter), 0);
}

/* Inserts a message at a random place after the first. */
static void thread_insert(gen *g, thread *t, int from_client, const char *body, int telltale)
{
    if (t->n >= N_OF(t->m))
        return;
    int at = t->n == 0 ? 0 : (int)rng_range(&g->r, 1, t->n);
    memmove(&t->m[at + 1], &t->m[at], (size_t)(t->n - at) * sizeof t->m[0]);
    t->m[at] = (plan_msg){from_client, body, telltale};
    t->n++;
}

/* Lays the thread out between lo and hi (relative ms), strictly increasing. */
static fb_status thread_emit(gen *g, const thread *t, const profile *client, const profile *fl,
                             const char *agency, int64_t lo, int64_t hi, fb_err *err)
{
    if (hi <= lo)
        hi = lo + t->n + 1;
    int64_t step = (hi - lo) / (t->n + 1);
    for (int i = 0; i < t->n; i++) {
        const plan_msg *pm = &t->m[i];
        const profile *from = pm->from_client ? client : fl, *to = pm->from_client ? fl : client;
        fb_message *m = GROW(g, messages, n_messages);
        if (!m)
            return fb_err_set(err, FB_ENOMEM, "out of memory generating demo case %lld", (long long)g->index);
        m->from = fb_strdup(from->id);
        m->to = fb_strdup(to->id);
        m->at = lo + step * (i + 1) + (step > 4 ? rng_below(&g->r, step / 2) : 0);
        if (step >= 2000)
            m->at -= m->at % 1000;   /* whole seconds, as messages are stamped; still in order */
        char body[768];
        subst(body, sizeof body, pm->body, agency ? agency : "the agency");   /* only the agency is named */
        if (pm->telltale) {
            char open[96];
            subst(open, sizeof open, PICK(&g->r, openers), to->first);
            m->body = dupf("%s%s%s", open, body, PICK(&g->r, closers));
        } else {
            m->body = fb_strdup(body);
        }
        /* About 1% of messages carry hostile or tricky text. */
        if (rng_chance(&g->r, 10)) {
            char *b = dupf("%s %s", m->body, PICK(&g->r, tricky));
            free(m->body);
            m->body = b;
        }
    }
    return FB_OK;
}

static void contract_set(gen *g, const profile *client, const profile *fl, const char *title, int64_t created,
                         int64_t started, int64_t ended, int has_budget, int64_t budget)
{
    fb_contract *k = &g->c->contract;
    g->c->has_contract = 1;
    k->id = dupf("J-%07lld", (long long)g->index);
    k->client = fb_strdup(client->id);
    k->freelancer = fb_strdup(fl->id);
    k->title = fb_strdup(title);
    k->created_at = created;
    k->started_at = started;
    k->ended_at = ended;
    k->has_budget = has_budget;
    k->budget_minor = budget;
    memcpy(k->currency, PICK(&g->r, currencies), 4);
}

/* A budget in minor units, in whole currency units times 100 with occasional cents. */
static int64_t budget_between(gen *g, int64_t lo_units, int64_t hi_units)
{
    int64_t b = rng_range(&g->r, lo_units, hi_units) * 100;
    if (rng_chance(&g->r, 200))
        b += rng_range(&g->r, 1, 99);
    return b;
}

/* Documentation address ranges (RFC 5737): never a real network. */
static const char *const ip_prefixes[] = {"203.0.113", "198.51.100", "192.0.2"};
static const char *link_noise_ip(gen *g) { return PICK(&g->r, ip_prefixes); }

static char *link_detail(gen *g, fb_link_kind kind, const profile *fl, const profile *other)
{
    switch (kind) {
    case FB_LINK_SAME_DEVICE:
        return dupf("device fingerprint %08x", fl->device);
    case FB_LINK_SAME_IP:
        return dupf("IP %s.%u", link_noise_ip(g), (fl->device >> 8) % 250 + 2);
    case FB_LINK_SAME_PAYMENT_METHOD:
        /* Test cards are the classic self-hire tell; otherwise the freelancer's own card. */
        return rng_chance(&g->r, 450) ? fb_strdup("card ending 4242") : dupf("card ending %04u", fl->card4);
    case FB_LINK_SAME_ADDRESS:
        return dupf("%u %s, %s", fl->device % 180 + 1, streets[fl->device % N_OF(streets)],
                    cities[(fl->device >> 4) % N_OF(cities)]);
    case FB_LINK_SAME_EMAIL_PATTERN:
        return dupf("%s+%u@%s ~ %s@%s", fl->email_user, (unsigned)rng_range(&g->r, 1, 9),
                    mail_domains[fl->card4 % N_OF(mail_domains)], fl->email_user,
                    mail_domains[fl->card4 % N_OF(mail_domains)]);
    case FB_LINK_SAME_TEAM:
        return dupf("both members of %s", other ? other->name : "the same agency");
    default:
        return NULL;
    }
}

/* The freelancer: either one of this case's own, or from a pool whose members appear in
 * several cases that are close in index (so some subjects have several open cases). */
static void pick_freelancer(gen *g, profile *fl)
{
    if (rng_chance(&g->r, 350)) {
        int64_t n = g->index / 8 - rng_below(&g->r, 4);
        profile_make(fl, g->seed, g->now, AK_FREELANCER_POOL, n < 0 ? 0 : n);
    } else {
        profile_make(fl, g->seed, g->now, AK_FREELANCER, g->index);
    }
}

static void pick_client(gen *g, profile *cl)
{
    if (rng_chance(&g->r, 300)) {
        int64_t n = g->index / 16 - rng_below(&g->r, 6);
        profile_make(cl, g->seed, g->now, AK_CLIENT_POOL, n < 0 ? 0 : n);
    } else {
        profile_make(cl, g->seed, g->now, AK_CLIENT, g->index);
    }
}

/* ~85% of violating cases are flagged with their own code; the rest under a neighbour's. */
static const char *const sources_by_code[FB_V_COUNT][3] = {
    [FB_V_FAKE_JOB] = {"rule:fast_feedback", "rule:tiny_budget", "rule:fast_feedback"},
    [FB_V_SELF_HIRE] = {"rule:shared_payment", "rule:shared_device", "rule:shared_ip"},
    [FB_V_CONFLICT_OF_INTEREST] = {"rule:same_team", "rule:reciprocal_feedback", "rule:same_team"},
    [FB_V_PAID_FEEDBACK] = {"rule:refund_after_review", "rule:message_phrase", "rule:bonus_after_review"},
    [FB_V_FREE_WORK_FOR_REVIEW] = {"rule:zero_value_contract", "rule:message_phrase", "rule:zero_value_contract"},
    [FB_V_FEEDBACK_EXTORTION] = {"report:user", "rule:message_phrase", "report:user"},
};

static void set_alleged(gen *g, fb_violation truth)
{
    fb_case *c = g->c;
    fb_violation alleged = truth;
    if (truth == FB_V_NONE) {
        /* Honest requests get flagged as what a rule or a user suspected. */
        static const fb_violation honest_flags[] = {
            FB_V_PAID_FEEDBACK, FB_V_FAKE_JOB, FB_V_FAKE_JOB, FB_V_FREE_WORK_FOR_REVIEW,
            FB_V_FEEDBACK_EXTORTION, FB_V_SELF_HIRE, FB_V_CONFLICT_OF_INTEREST, FB_V_PAID_FEEDBACK,
        };
        alleged = rng_chance(&g->r, 920) ? PICK(&g->r, honest_flags) : FB_V_NONE;
    } else if (!rng_chance(&g->r, 850)) {
        alleged = (fb_violation)((truth + 1 + rng_below(&g->r, FB_V_COUNT - 1)) % FB_V_COUNT);
    }
    c->alleged = alleged;
    if (alleged == FB_V_NONE || rng_chance(&g->r, 80))
        c->source = fb_strdup("report:user");
    else
        c->source = fb_strdup(sources_by_code[alleged][rng_below(&g->r, 3)]);
}

/* Ground truth: ~28% honest, the rest spread over the six codes. */
static fb_violation pick_truth(gen *g)
{
    int64_t x = rng_below(&g->r, 1000);
    if (x < 280) return FB_V_NONE;
    if (x < 420) return FB_V_FAKE_JOB;
    if (x < 560) return FB_V_SELF_HIRE;
    if (x < 660) return FB_V_CONFLICT_OF_INTEREST;
    if (x < 800) return FB_V_PAID_FEEDBACK;
    if (x < 900) return FB_V_FREE_WORK_FOR_REVIEW;
    return FB_V_FEEDBACK_EXTORTION;
}

static void shift_times(fb_case *c, int64_t d)
{
#define SH(x) ((x) += d)   /* every time was set, even the contract's creation at 0 */
    SH(c->contract.created_at);
    SH(c->contract.started_at);
    SH(c->contract.ended_at);
    for (size_t i = 0; i < c->n_payments; i++) SH(c->payments[i].at);
    for (size_t i = 0; i < c->n_feedback; i++) SH(c->feedback[i].at);
    for (size_t i = 0; i < c->n_messages; i++) SH(c->messages[i].at);
#undef SH
}

/* Builds the evidence in relative time (contract created at 0); returns the time the
 * flag was raised, relative too (demo_case moves everything to its place in time). */
static fb_status build(gen *g, fb_violation truth, int64_t *flagged_rel, fb_err *err)
{
    rng *r = &g->r;
    profile cl, fl, other;
    thread t = {.n = 0};
    int64_t created = 0, started, ended, fb_at, last;
    int client_builds = 0;       /* whose feedback is being built: the client's (rare) or the freelancer's */
    int64_t budget = 0;
    const char *agency_name = NULL;
    fb_status st = FB_OK;

    pick_freelancer(g, &fl);
    switch (truth) {
    case FB_V_FAKE_JOB: {
        pick_client(g, &cl);
        started = created + rng_range(r, 1, 12) * MIN_MS;
        ended = started + (rng_chance(r, 750) ? rng_range(r, 2, 90) * MIN_MS : rng_range(r, 2, 8) * HOUR_MS);
        fb_at = ended + rng_range(r, 1, 25) * MIN_MS;
        static const int64_t tiny[] = {0, 0, 100, 100, 200, 500, 500, 1000, 300};
        budget = PICK(r, tiny);
        if (rng_chance(r, 80))
            budget = budget_between(g, 15, 60);   /* noise: a plausible budget */
        contract_set(g, &cl, &fl, rng_chance(r, 700) ? PICK(r, fake_titles) : PICK(r, titles), created,
                     started, ended, 1, budget);
        if ((st = add_account(g, &cl, FB_ROLE_CLIENT, INT64_MIN, err)) || (st = add_account(g, &fl, FB_ROLE_FREELANCER, INT64_MIN, err)))
            return st;
        if (budget > 0 && (st = add_payment(g, cl.id, fl.id, FB_PAY_PAYMENT, budget, ended - MIN_MS, err)))
            return st;
        if ((st = add_feedback(g, cl.id, fl.id, 5, fb_at, err)))
            return st;
        if (rng_chance(r, 300) && (st = add_feedback(g, fl.id, cl.id, 5, fb_at + rng_range(r, 1, 30) * MIN_MS, err)))
            return st;
        if (!rng_chance(r, 250)) {
            int n = (int)rng_range(r, 1, 3);
            for (int i = 0; i < n; i++)
                thread_add(&t, i % 2 == 0, PICK(r, fake_chatter), 0);
            if (rng_chance(r, 750))
                thread_insert(g, &t, (int)rng_below(r, 2), PICK(r, fake_phrases), 1);
        }
        st = thread_emit(g, &t, &cl, &fl, NULL, created, fb_at, err);
        last = fb_at + 30 * MIN_MS;
        break;
    }
    case FB_V_SELF_HIRE: {
        profile_second(&cl, &fl, g->seed, g->now, g->index, r);
        int64_t acct_age = rng_range(r, 10, 5 * 24 * 60) * MIN_MS;   /* minutes to days: new */
        started = created + rng_range(r, 2, 60) * MIN_MS;
        ended = started + (rng_chance(r, 600) ? rng_range(r, 10, 240) * MIN_MS : rng_range(r, 1, 3) * DAY_MS);
        fb_at = ended + rng_range(r, 2, 120) * MIN_MS;
        budget = rng_chance(r, 500) ? budget_between(g, 5, 40) : budget_between(g, 40, 400);
        contract_set(g, &cl, &fl, PICK(r, titles), created, started, ended, 1, budget);
        if ((st = add_account(g, &cl, FB_ROLE_CLIENT, created - acct_age, err)) ||
            (st = add_account(g, &fl, FB_ROLE_FREELANCER, INT64_MIN, err)))
            return st;
        /* One to three shared traits; the payment method leads most often. */
        static const fb_link_kind kinds[] = {
            FB_LINK_SAME_PAYMENT_METHOD, FB_LINK_SAME_PAYMENT_METHOD, FB_LINK_SAME_DEVICE,
            FB_LINK_SAME_IP, FB_LINK_SAME_ADDRESS, FB_LINK_SAME_EMAIL_PATTERN,
        };
        int nl = (int)rng_range(r, 1, 3);
        unsigned used = 0;
        for (int i = 0; i < nl; i++) {
            fb_link_kind k = PICK(r, kinds);
            if (used & (1u << k))
                continue;
            used |= 1u << k;
            if ((st = add_link(g, cl.id, fl.id, k, link_detail(g, k, &fl, NULL), err)))
                return st;
        }
        if ((st = add_payment(g, cl.id, fl.id, FB_PAY_PAYMENT, budget, ended - MIN_MS, err)) ||
            (st = add_feedback(g, cl.id, fl.id, 5, fb_at, err)))
            return st;
        if (rng_chance(r, 500)) {
            int n = (int)rng_range(r, 1, 3);
            for (int i = 0; i < n; i++)
                thread_add(&t, i % 2 == 0, PICK(r, self_phrases), 0);
        }
        st = thread_emit(g, &t, &cl, &fl, NULL, started - MIN_MS, ended, err);
        last = fb_at + 10 * MIN_MS;
        break;
    }
    case FB_V_CONFLICT_OF_INTEREST: {
        int64_t an = g->index / 40 - rng_below(r, 3);
        profile_make(&other, g->seed, g->now, AK_AGENCY, an < 0 ? 0 : an);
        profile_make(&cl, g->seed, g->now, AK_TEAMMATE, g->index);
        memcpy(cl.country, other.country, sizeof cl.country);
        if (rng_chance(r, 700))
            memcpy(fl.country, other.country, sizeof fl.country);
        agency_name = other.name;
        started = created + rng_range(r, 1, 48) * HOUR_MS;
        ended = started + rng_range(r, 1, 14) * DAY_MS;
        fb_at = ended + rng_range(r, 1, 48) * HOUR_MS;
        budget = budget_between(g, 30, 900);
        contract_set(g, &cl, &fl, PICK(r, titles), created, started, ended, 1, budget);
        if ((st = add_account(g, &cl, FB_ROLE_CLIENT, INT64_MIN, err)) ||
            (st = add_account(g, &fl, FB_ROLE_FREELANCER, INT64_MIN, err)))
            return st;
        if (rng_chance(r, 500) && (st = add_account(g, &other, FB_ROLE_AGENCY, INT64_MIN, err)))
            return st;
        if (!rng_chance(r, 120) &&
            (st = add_link(g, cl.id, fl.id, FB_LINK_SAME_TEAM, link_detail(g, FB_LINK_SAME_TEAM, &fl, &other), err)))
            return st;
        if (rng_chance(r, 350) &&
            (st = add_link(g, cl.id, fl.id, FB_LINK_SAME_IP, dupf("IP %s.%u (office network)", link_noise_ip(g), (other.device >> 3) % 250 + 2), err)))
            return st;
        if ((st = add_payment(g, cl.id, fl.id, FB_PAY_PAYMENT, budget, ended, err)) ||
            (st = add_feedback(g, cl.id, fl.id, 5, fb_at, err)))
            return st;
        /* Reciprocal 5-star feedback: the ring. */
        if (rng_chance(r, 550) && (st = add_feedback(g, fl.id, cl.id, 5, fb_at + rng_range(r, 5, 600) * MIN_MS, err)))
            return st;
        thread_chatter(g, &t, (int)rng_range(r, 1, 4));
        if (rng_chance(r, 700))
            thread_insert(g, &t, 0, PICK(r, coi_phrases), 1);
        st = thread_emit(g, &t, &cl, &fl, agency_name, started, fb_at, err);
        last = fb_at + DAY_MS;
        break;
    }
    case FB_V_PAID_FEEDBACK: {
        pick_client(g, &cl);
        client_builds = rng_chance(r, 300);
        started = created + rng_range(r, 1, 72) * HOUR_MS;
        ended = started + rng_range(r, 1, 240) * HOUR_MS;
        fb_at = ended + rng_range(r, 10, 24 * 60) * MIN_MS;
        budget = budget_between(g, 20, 600);
        contract_set(g, &cl, &fl, PICK(r, titles), created, started, ended, 1, budget);
        if ((st = add_account(g, &cl, FB_ROLE_CLIENT, INT64_MIN, err)) ||
            (st = add_account(g, &fl, FB_ROLE_FREELANCER, INT64_MIN, err)) ||
            (st = add_payment(g, cl.id, fl.id, FB_PAY_PAYMENT, budget, ended, err)))
            return st;
        int64_t after = fb_at + rng_range(r, 5, 8 * 60) * MIN_MS;
        int money_evidence = !rng_chance(r, 150);    /* some deals are settled off-platform */
        if (!client_builds) {
            if ((st = add_feedback(g, cl.id, fl.id, 5, fb_at, err)))
                return st;
            /* The refund: all of it or part of it, soon after the review. */
            int64_t amount = rng_chance(r, 500) ? budget : budget / 2;
            if (money_evidence && (st = add_payment(g, fl.id, cl.id, FB_PAY_REFUND, amount, after, err)))
                return st;
        } else {
            if ((st = add_feedback(g, fl.id, cl.id, 5, fb_at, err)) ||
                (st = add_feedback(g, cl.id, fl.id, 4, fb_at + rng_range(r, 1, 30) * MIN_MS, err)))
                return st;
            if (money_evidence && (st = add_payment(g, cl.id, fl.id, FB_PAY_BONUS, budget_between(g, 5, 50), after, err)))
                return st;
        }
        thread_chatter(g, &t, (int)rng_range(r, 2, 5));
        if (rng_chance(r, 820))
            thread_insert(g, &t, client_builds, client_builds ? PICK(r, paid_bonus_phrases) : PICK(r, paid_refund_phrases), 1);
        st = thread_emit(g, &t, &cl, &fl, NULL, started, fb_at, err);
        last = after + 10 * MIN_MS;
        break;
    }
    case FB_V_FREE_WORK_FOR_REVIEW: {
        pick_client(g, &cl);
        client_builds = rng_chance(r, 300);   /* the client asks for free work and promises a review */
        started = created + rng_range(r, 5, 24 * 60) * MIN_MS;
        ended = started + rng_range(r, 1, 96) * HOUR_MS;
        fb_at = ended + rng_range(r, 5, 12 * 60) * MIN_MS;
        int zero = !rng_chance(r, 100);
        contract_set(g, &cl, &fl, PICK(r, titles), created, started, ended, 1, zero ? 0 : 100);
        if ((st = add_account(g, &cl, FB_ROLE_CLIENT, INT64_MIN, err)) ||
            (st = add_account(g, &fl, FB_ROLE_FREELANCER, INT64_MIN, err)))
            return st;
        if (!zero && (st = add_payment(g, cl.id, fl.id, FB_PAY_PAYMENT, 100, ended, err)))
            return st;
        if (client_builds) {
            if ((st = add_feedback(g, cl.id, fl.id, 5, fb_at, err)) ||
                (st = add_feedback(g, fl.id, cl.id, 5, fb_at + rng_range(r, 1, 60) * MIN_MS, err)))
                return st;
        } else if ((st = add_feedback(g, cl.id, fl.id, 5, fb_at, err))) {
            return st;
        }
        thread_chatter(g, &t, (int)rng_range(r, 1, 4));
        if (rng_chance(r, 800))
            thread_insert(g, &t, client_builds, PICK(r, free_phrases), 1);
        st = thread_emit(g, &t, &cl, &fl, NULL, created, fb_at, err);
        last = fb_at + HOUR_MS;
        break;
    }
    case FB_V_FEEDBACK_EXTORTION: {
        pick_client(g, &cl);
        client_builds = rng_chance(r, 400);   /* who threatens */
        started = created + rng_range(r, 1, 48) * HOUR_MS;
        ended = started + rng_range(r, 1, 20) * DAY_MS;
        int64_t threat_at = ended + rng_range(r, 10, 600) * MIN_MS;
        fb_at = threat_at + rng_range(r, 10, 24 * 60) * MIN_MS;
        budget = budget_between(g, 20, 1500);
        contract_set(g, &cl, &fl, PICK(r, titles), created, started, ended, 1, budget);
        if ((st = add_account(g, &cl, FB_ROLE_CLIENT, INT64_MIN, err)) ||
            (st = add_account(g, &fl, FB_ROLE_FREELANCER, INT64_MIN, err)) ||
            (st = add_payment(g, cl.id, fl.id, rng_chance(r, 400) ? FB_PAY_MILESTONE : FB_PAY_PAYMENT, budget, ended, err)))
            return st;
        const profile *bully = client_builds ? &cl : &fl, *victim = client_builds ? &fl : &cl;
        if (rng_chance(r, 700)) {
            /* The victim gave in. */
            if ((st = add_feedback(g, victim->id, bully->id, 5, fb_at, err)))
                return st;
        } else if ((st = add_feedback(g, victim->id, bully->id, 2, fb_at, err)) ||
                   (st = add_feedback(g, bully->id, victim->id, 1, fb_at + rng_range(r, 5, 120) * MIN_MS, err))) {
            return st;   /* the victim refused and the threat was carried out */
        }
        thread_chatter(g, &t, (int)rng_range(r, 2, 5));
        if (rng_chance(r, 900))
            thread_add(&t, client_builds, PICK(r, extortion_phrases), 1);
        else
            thread_add(&t, client_builds, PICK(r, extortion_vague), 0);
        if (rng_chance(r, 400))
            thread_add(&t, !client_builds, PICK(r, extortion_protest), 0);
        st = thread_emit(g, &t, &cl, &fl, NULL, started, fb_at, err);
        last = fb_at + 3 * HOUR_MS;
        break;
    }
    default: {   /* honest: a respectful, pressure-free request for feedback */
        pick_client(g, &cl);
        started = created + rng_range(r, 1, 96) * HOUR_MS;
        /* Noise: a few honest jobs are small quick fixes, like fake jobs look. */
        int quick = rng_chance(r, 120);
        ended = started + (quick ? rng_range(r, 30, 180) * MIN_MS : rng_range(r, 1, 30) * DAY_MS);
        fb_at = ended + (quick ? rng_range(r, 10, 120) * MIN_MS : rng_range(r, 2, 96) * HOUR_MS);
        budget = rng_chance(r, 150) ? budget_between(g, 5, 20) : budget_between(g, 25, 3000);
        contract_set(g, &cl, &fl, PICK(r, titles), created, started, ended, 1, budget);
        if ((st = add_account(g, &cl, FB_ROLE_CLIENT, INT64_MIN, err)) ||
            (st = add_account(g, &fl, FB_ROLE_FREELANCER, INT64_MIN, err)))
            return st;
        if (rng_chance(r, 350) && budget >= 20000) {
            if ((st = add_payment(g, cl.id, fl.id, FB_PAY_MILESTONE, budget / 2, started + (ended - started) / 2, err)) ||
                (st = add_payment(g, cl.id, fl.id, FB_PAY_MILESTONE, budget - budget / 2, ended, err)))
                return st;
        } else if ((st = add_payment(g, cl.id, fl.id, FB_PAY_PAYMENT, budget, ended, err))) {
            return st;
        }
        int64_t roll = rng_below(r, 1000);
        const char *money_line = NULL;
        if (roll < 60) {   /* a tip after the review: looks like paid feedback, is not */
            if ((st = add_payment(g, cl.id, fl.id, FB_PAY_BONUS, budget_between(g, 5, 40), fb_at + rng_range(r, 30, 600) * MIN_MS, err)))
                return st;
            money_line = chatter_refund_noise[2];
        } else if (roll < 100) {   /* unused hours given back before any review */
            if ((st = add_payment(g, fl.id, cl.id, FB_PAY_REFUND, budget / 10 + 100, ended + MIN_MS, err)))
                return st;
            money_line = chatter_refund_noise[rng_below(r, 2)];
        }
        int rating = rng_chance(r, 800) ? 5 : rng_chance(r, 800) ? 4 : 3;
        if ((st = add_feedback(g, cl.id, fl.id, rating, fb_at, err)))
            return st;
        if (rng_chance(r, 400) && (st = add_feedback(g, fl.id, cl.id, 5, fb_at + rng_range(r, 10, 2000) * MIN_MS, err)))
            return st;
        thread_chatter(g, &t, (int)rng_range(r, 2, 7));
        if (money_line)
            thread_insert(g, &t, roll < 60, money_line, 0);
        /* About one honest case in five is unclear: reviews next to money, a condition or
         * a colleague, with no trade. Those are for a reader, not for the two-key path. */
        if (rng_chance(r, 200)) {
            g->ambiguous = 1;
            thread_add(&t, (int)rng_below(r, 2), PICK(r, ambiguous_phrases), 1);
        } else if (rng_chance(r, 820)) {
            thread_add(&t, 0, PICK(r, honest_phrases), 1);
        }
        st = thread_emit(g, &t, &cl, &fl, NULL, started, fb_at, err);
        last = fb_at + 12 * HOUR_MS;
        break;
    }
    }
    if (st != FB_OK)
        return st;
    /* The flag is raised after the last piece of evidence, whatever it is. */
    for (size_t i = 0; i < g->c->n_feedback; i++)
        last = g->c->feedback[i].at > last ? g->c->feedback[i].at : last;
    for (size_t i = 0; i < g->c->n_payments; i++)
        last = g->c->payments[i].at > last ? g->c->payments[i].at : last;
    for (size_t i = 0; i < g->c->n_messages; i++)
        last = g->c->messages[i].at > last ? g->c->messages[i].at : last;
    /* Occasional innocent shared traits (coworking Wi-Fi, a family address) on other codes. */
    if (truth != FB_V_SELF_HIRE && rng_chance(r, truth == FB_V_NONE ? 80 : 40)) {
        fb_link_kind k = rng_chance(r, 700) ? FB_LINK_SAME_IP : rng_chance(r, 500) ? FB_LINK_SAME_ADDRESS : FB_LINK_SAME_DEVICE;
        if ((st = add_link(g, cl.id, fl.id, k, link_detail(g, k, &fl, NULL), err)))
            return st;
    }
    /* Rules fire within minutes to hours; user reports take longer. */
    *flagged_rel = last + (strncmp(g->c->source ? g->c->source : "", "report", 6) == 0
                               ? rng_range(r, 60, 4 * 24 * 60) * MIN_MS
                               : rng_range(r, 1, 180) * MIN_MS);
    return FB_OK;
}

/* ---- cases that only show their violation together ----
 *
 * Indices 3k, 3k+1 and 3k+2 form group k. A few groups are one story told over their
 * cases: a ring of three accounts that hired each other in a circle with 5 stars each, two
 * accounts that hired each other (the third case is ordinary), or a client and freelancer
 * joined through a third account: the client shares a device with it in one case, the
 * freelancer a payment method in the next, and the third case (the one between client and
 * freelancer) shows no link at all. Each case alone looks ordinary. */
enum group_kind { GROUP_NONE, GROUP_RING3, GROUP_SWAP, GROUP_JOINED };

static enum group_kind group_of(uint64_t seed, int64_t index)
{
    rng r;
    rng_init(&r, seed, UINT64_C(0x6a0b000000000000), (uint64_t)(index / 3));
    int64_t x = rng_below(&r, 1000);
    enum group_kind k = x < 15 ? GROUP_RING3 : x < 30 ? GROUP_SWAP : x < 45 ? GROUP_JOINED : GROUP_NONE;
    if (k == GROUP_SWAP && index % 3 == 2)
        return GROUP_NONE;
    return k;
}

/* Account kind 0 is free in the id space ("u-" + number * 8 + kind): group accounts. */
#define AK_GROUP 0

static fb_status build_group(gen *g, enum group_kind kind, int64_t *flagged_rel, fb_err *err)
{
    rng *r = &g->r;
    int k = (int)(g->index % 3);
    int64_t base = g->index / 3 * 4;
    profile acct[3], cl, fl;
    for (int i = 0; i < 3; i++)
        profile_make(&acct[i], g->seed, g->now, AK_GROUP, base + i);
    fb_link_kind link = FB_LINK_NONE;
    if (kind == GROUP_RING3) {
        fl = acct[k];
        cl = acct[(k + 1) % 3];
    } else if (kind == GROUP_SWAP) {
        cl = acct[k];
        fl = acct[1 - k];
    } else {   /* joined: P = 0, T = 1, F = 2 */
        static const int client_of[3] = {0, 1, 0}, fl_of[3] = {1, 2, 2};
        static const fb_link_kind links[3] = {FB_LINK_SAME_DEVICE, FB_LINK_SAME_PAYMENT_METHOD, FB_LINK_NONE};
        cl = acct[client_of[k]];
        fl = acct[fl_of[k]];
        link = links[k];
    }
    int64_t created = 0, started = created + rng_range(r, 1, 48) * HOUR_MS;
    int64_t ended = started + rng_range(r, 1, 10) * DAY_MS;
    int64_t fb_at = ended + rng_range(r, 1, 36) * HOUR_MS;
    int64_t budget = budget_between(g, 30, 400);
    fb_status st;
    contract_set(g, &cl, &fl, PICK(r, titles), created, started, ended, 1, budget);
    if ((st = add_account(g, &cl, FB_ROLE_CLIENT, INT64_MIN, err)) ||
        (st = add_account(g, &fl, FB_ROLE_FREELANCER, INT64_MIN, err)) ||
        (link != FB_LINK_NONE && (st = add_link(g, cl.id, fl.id, link, link_detail(g, link, &fl, NULL), err))) ||
        (st = add_payment(g, cl.id, fl.id, FB_PAY_PAYMENT, budget, ended, err)) ||
        (st = add_feedback(g, cl.id, fl.id, 5, fb_at, err)))
        return st;
    thread t = {.n = 0};
    thread_chatter(g, &t, (int)rng_range(r, 2, 5));
    if (kind != GROUP_JOINED && rng_chance(r, 300))
        thread_insert(g, &t, (int)rng_below(r, 2), PICK(r, coi_phrases), 1);
    if ((st = thread_emit(g, &t, &cl, &fl, "the agency", started, fb_at, err)) != FB_OK)
        return st;
    *flagged_rel = fb_at + rng_range(r, 30, 12 * 60) * MIN_MS;
    return FB_OK;
}

/* How long ago a case was opened, for a console that looks like a working day with the
 * default 48-hour SLA ([console] sla_hours): most cases fresh, some due soon, a few late. */
static int64_t opened_ago(gen *g)
{
    int64_t x = rng_below(&g->r, 1000);
    if (x < 600)
        return rng_range(&g->r, 5, 20 * 60) * MIN_MS;            /* today's intake */
    if (x < 820)
        return rng_range(&g->r, 20 * 60, 38 * 60) * MIN_MS;      /* yesterday's */
    if (x < 920)
        return rng_range(&g->r, 38 * 60, 47 * 60 + 50) * MIN_MS; /* due within ten hours */
    return rng_range(&g->r, 48 * 60 + 10, 6 * 24 * 60) * MIN_MS; /* late */
}

fb_status demo_case_at(uint64_t seed, int64_t index, int64_t now_ms, fb_case **out, fb_demo_truth *truth_out,
                       fb_err *err)
{
    *out = NULL;
    if (index < 0 || index > INT64_C(9999999999))
        return fb_err_set(err, FB_EINPUT, "demo case index %lld is out of range (0 to 9999999999)", (long long)index);
    gen g = {.seed = seed, .now = now_ms, .index = index};
    rng_init(&g.r, seed, UINT64_C(0xca5e000000000000), (uint64_t)index);
    g.c = fb_case_new();
    if (!g.c)
        return fb_err_set(err, FB_ENOMEM, "out of memory generating demo case %lld", (long long)index);
    fb_violation truth = pick_truth(&g);
    enum group_kind group = group_of(seed, index);
    if (group != GROUP_NONE)
        truth = group == GROUP_JOINED ? FB_V_SELF_HIRE : FB_V_CONFLICT_OF_INTEREST;
    g.c->id = dupf("C-%07lld", (long long)index);
    set_alleged(&g, truth);
    int64_t flagged_rel = 0;
    fb_status st = group != GROUP_NONE ? build_group(&g, group, &flagged_rel, err) : build(&g, truth, &flagged_rel, err);
    if (st != FB_OK) {
        fb_case_free(&g.c);
        return st;
    }
    /* Place the case before now, to the minute; its evidence before it opened. */
    int64_t opened = now_ms - opened_ago(&g);
    opened -= opened % MIN_MS;
    int64_t shift = opened - flagged_rel;
    shift_times(g.c, shift);
    /* New (self-hire) accounts were created relative to the contract: shift them too. */
    for (size_t i = 0; i < g.c->n_accounts; i++)
        if (g.rel_created & (1u << i))
            g.c->accounts[i].created_at += shift;
    g.c->opened_at = opened;
    *out = g.c;
    if (truth_out)
        *truth_out = (fb_demo_truth){truth, g.ambiguous, group != GROUP_NONE};
    return FB_OK;
}

fb_status demo_case(uint64_t seed, int64_t index, fb_case **out, fb_violation *truth, fb_err *err)
{
    fb_demo_truth t;
    fb_status st = demo_case_at(seed, index, FB_DEMO_BASE_MS, out, &t, err);
    if (st == FB_OK && truth)
        *truth = t.code;
    return st;
}

/* ---- filling a store: a two-stage pipeline ----
 *
 * SQLite writes on one thread, so the store is the bottleneck. Generating a case and
 * computing its signals touch no store, so a producer thread does that for case i+1..
 * while the calling thread saves case i: two cores, and the same store in the same order
 * as a plain loop. The queue is bounded, so memory does not grow with n. */

#define PIPE_SLOTS 256

typedef struct pipe_item {
    fb_case *c;
    fb_demo_truth truth;
} pipe_item;

typedef struct pipeline {
    pthread_mutex_t mu;
    pthread_cond_t not_empty, not_full;
    pipe_item slot[PIPE_SLOTS];
    size_t head, count;
    int stop;                  /* the saver gave up: the producer must stop too */
    int done;                  /* the producer has pushed everything it will push */
    fb_status status;          /* the producer's failure, with err */
    fb_err err;
    const fb_ingest *in;
    uint64_t seed;
    int64_t now;
    int64_t n;
} pipeline;

static void *pipe_produce(void *arg)
{
    pipeline *p = arg;
    for (int64_t i = 1; i <= p->n; i++) {
        fb_case *c = NULL;
        fb_demo_truth truth = {FB_V_NONE, 0, 0};
        fb_err err = {0};
        fb_status st = demo_case_at(p->seed, i, p->now, &c, &truth, &err);
        if (st == FB_OK && (st = ingest_prepare(p->in, c, &err)) != FB_OK)
            fb_err_wrap(&err, "demo case %lld", (long long)i);
        pthread_mutex_lock(&p->mu);
        while (p->count == PIPE_SLOTS && !p->stop)
            pthread_cond_wait(&p->not_full, &p->mu);
        if (p->stop || st != FB_OK) {
            if (st != FB_OK && !p->stop) {
                p->status = st;
                p->err = err;
            }
            pthread_mutex_unlock(&p->mu);
            fb_case_free(&c);
            break;
        }
        p->slot[(p->head + p->count) % PIPE_SLOTS] = (pipe_item){c, truth};
        p->count++;
        pthread_cond_signal(&p->not_empty);
        pthread_mutex_unlock(&p->mu);
    }
    pthread_mutex_lock(&p->mu);
    p->done = 1;
    pthread_cond_signal(&p->not_empty);
    pthread_mutex_unlock(&p->mu);
    return NULL;
}

/* The next prepared case in index order; 0 when the producer has finished. */
static int pipe_pop(pipeline *p, pipe_item *out)
{
    pthread_mutex_lock(&p->mu);
    while (p->count == 0 && !p->done)
        pthread_cond_wait(&p->not_empty, &p->mu);
    int got = p->count > 0;
    if (got) {
        *out = p->slot[p->head];
        p->head = (p->head + 1) % PIPE_SLOTS;
        p->count--;
        /* Wake a waiting producer only when half the queue is free: one wake-up per
         * PIPE_SLOTS/2 cases rather than a futex call for every case. */
        if (p->count == PIPE_SLOTS / 2)
            pthread_cond_signal(&p->not_full);
    }
    pthread_mutex_unlock(&p->mu);
    return got;
}

fb_status demo_fill_counted(fb_store *s, int64_t n, uint64_t seed, int64_t now_ms, fb_demo_counts *counts,
                            fb_err *err)
{
    if (counts)
        memset(counts, 0, sizeof *counts);
    fb_ingest *in = NULL;
    if (ingest_open(s, &in, err) != FB_OK)
        return err->status;
    pipeline *p = calloc(1, sizeof *p);
    if (!p) {
        ingest_close(&in);
        return fb_err_set(err, FB_ENOMEM, "out of memory starting the demo generator");
    }
    pthread_mutex_init(&p->mu, NULL);
    pthread_cond_init(&p->not_empty, NULL);
    pthread_cond_init(&p->not_full, NULL);
    p->in = in;
    p->seed = seed;
    p->now = now_ms;
    p->n = n;
    pthread_t producer;
    fb_status st = FB_OK;
    if (pthread_create(&producer, NULL, pipe_produce, p) != 0) {
        st = fb_err_set(err, FB_EINTERNAL, "cannot start the demo generator thread");
        goto done;
    }
    fb_progress prog;
    progress_start(&prog, "demo", n);
    store_set_bulk(s, 1);
    int in_tx = 0;
    int64_t saved = 0;
    pipe_item it;
    while (pipe_pop(p, &it)) {
        if (!in_tx) {
            if ((st = store_begin(s, err)) != FB_OK) {
                fb_case_free(&it.c);
                break;
            }
            in_tx = 1;
        }
        st = ingest_save(in, it.c, "local", NULL, err);
        if (st != FB_OK)
            fb_err_wrap(err, "demo case %s", it.c->id);
        fb_case_free(&it.c);
        if (st != FB_OK)
            break;
        saved++;
        if (counts) {
            if (it.truth.code == FB_V_NONE)
                counts->honest++;
            else
                counts->by_code[it.truth.code]++;
            counts->ambiguous += it.truth.ambiguous;
            counts->cross_case += it.truth.cross_case;
        }
        progress_add(&prog, 1);
        if (saved % FB_DEMO_BATCH == 0) {
            st = ingest_flush(in, NULL, err);
            if (st != FB_OK)
                break;   /* still in the transaction: rolled back below */
            st = store_commit(s, err);
            in_tx = 0;
            if (st != FB_OK)
                break;
        }
    }
    /* Stop the producer (if we broke off), wait for it, and free what it left queued. */
    pthread_mutex_lock(&p->mu);
    p->stop = st != FB_OK;
    pthread_cond_signal(&p->not_full);
    pthread_mutex_unlock(&p->mu);
    pthread_join(producer, NULL);
    while (p->count > 0) {
        fb_case_free(&p->slot[p->head].c);
        p->head = (p->head + 1) % PIPE_SLOTS;
        p->count--;
    }
    if (st == FB_OK && p->status != FB_OK) {
        *err = p->err;
        st = p->status;
    }
    if (st == FB_OK && in_tx && (st = ingest_flush(in, NULL, err)) == FB_OK)
        st = store_commit(s, err);
    else if (st != FB_OK && in_tx)
        store_rollback(s);
    store_set_bulk(s, 0);
    progress_end(&prog);
done:
    pthread_cond_destroy(&p->not_full);
    pthread_cond_destroy(&p->not_empty);
    pthread_mutex_destroy(&p->mu);
    free(p);
    ingest_close(&in);
    return st;
}

fb_status demo_fill(fb_store *s, int64_t n, uint64_t seed, fb_err *err)
{
    return demo_fill_counted(s, n, seed, FB_DEMO_BASE_MS, NULL, err);
}
