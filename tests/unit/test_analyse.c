/* The message analyser (core/analyse, core/pattern, util/fold): frames for each violation in
 * either order, negation, reported speech, "read this case", Unicode folding (fullwidth,
 * accents) with highlights on the original bytes, chat spelling and near misspellings, the
 * explanation naming the words, the word-pattern syntax, errors naming file, line and
 * field, the store's tables seeded and used by ingest, a store analysed again when the rules
 * or the analyser change, and random input. */
#include "analyse_fixture.h"

#include <sqlite3.h>

#include "fbreview/analyse.h"
#include "fbreview/config.h"
#include "fbreview/decision.h"
#include "fbreview/fold.h"
#include "fbreview/ingest.h"
#include "fbreview/pattern.h"
#include "fbreview/policy.h"
#include "fbreview/signals.h"
#include "fbreview/store.h"
#include "fbreview/store_case.h"
#include "fbreview/store_rules.h"

static void expect_code(const char *body, fb_violation v, const char *word)
{
    fb_case *c = one(body);
    if (c->suggested != v) {
        dump(c);
        fail_msg("\"%s\": suggested %s, want %s", body, c->suggested == FB_V_NONE ? "none" : fb_violation_str(c->suggested),
                 fb_violation_str(v));
    }
    fb_rec r = rec_of(c);
    assert_int_equal(r.violation, v);
    assert_true(fb_action_needs_violation(r.action));
    if (word && !highlighted(c, 0, word))
        fail_msg("\"%s\": \"%s\" is not highlighted", body, word);
    /* the first match of the firing explains it, naming words of the message */
    int explained = 0;
    for (size_t i = 0; i < c->n_matches; i++)
        explained |= c->matches[i].why != NULL && c->matches[i].violation == v;
    assert_true(explained);
    fb_case_free(&c);
}

static void test_each_violation_either_order(void **state)
{
    (void)state;
    expect_code("I'll refund you the $20 after you leave 5 stars.", FB_V_PAID_FEEDBACK, "refund");
    expect_code("Five stars from you and a full refund from me.", FB_V_PAID_FEEDBACK, "Five stars");
    expect_code("Top rating gets you a 20% discount next time.", FB_V_PAID_FEEDBACK, "discount");
    expect_code("Rate me ★★★★★ and there's a bonus for you.", FB_V_PAID_FEEDBACK, "★★★★★");
    expect_code("I'll do the next logo for free if you write me a good review.", FB_V_FREE_WORK_FOR_REVIEW, "for free");
    expect_code("A good review and the next logo is done at no cost.", FB_V_FREE_WORK_FOR_REVIEW, "at no cost");
    expect_code("Refund me or I'll leave you one star.", FB_V_FEEDBACK_EXTORTION, "one star");
    expect_code("One star is coming unless you refund me.", FB_V_FEEDBACK_EXTORTION, "unless");
    expect_code("Unless you give me 5 stars I will open a dispute.", FB_V_FEEDBACK_EXTORTION, "dispute");
    expect_code("I review you, you review me.", FB_V_CONFLICT_OF_INTEREST, NULL);
    expect_code("Let's swap reviews, the whole team does it.", FB_V_CONFLICT_OF_INTEREST, "swap reviews");
    expect_code("As my colleague you can rate me here.", FB_V_CONFLICT_OF_INTEREST, "colleague");
    expect_code("No real work, the job is only for the feedback.", FB_V_FAKE_JOB, "No real work");
    expect_code("I'll accept the offer from my other account.", FB_V_SELF_HIRE, "my other account");
}

static void test_negation_and_reported_speech(void **state)
{
    (void)state;
    /* a refusal is not an offer: no code, and a positive ground */
    fb_case *c = one("I will never ask for a refund for a review.");
    assert_int_equal(c->suggested, FB_V_NONE);
    assert_int_equal(signals_stance(c), FB_STANCE_OK);
    assert_int_equal(rec_of(c).action, FB_A_NO_VIOLATION);
    fb_case_free(&c);
    /* someone else's threat, reported: not the sender's violation, and not to dismiss */
    c = one("The client said he'd leave 1 star unless I refund him.");
    assert_int_equal(c->suggested, FB_V_NONE);
    assert_int_equal(signals_stance(c), FB_STANCE_READ);
    fb_rec r = rec_of(c);
    assert_int_equal(r.action, FB_A_NONE);
    assert_non_null(strstr(r.why, "read this case"));
    assert_true(highlighted(c, 0, "1 star"));
    fb_case_free(&c);
    /* the threat itself, in the first person, is extortion */
    expect_code("I'll leave 1 star unless you refund me.", FB_V_FEEDBACK_EXTORTION, "1 star");
    /* a negation denies its clause, not the whole sentence */
    expect_code("I don't want a refund, just give me five stars and I'll pay you $20.", FB_V_PAID_FEEDBACK,
                "five stars");
}

static void test_read_this_case_when_nothing_decides(void **state)
{
    (void)state;
    static const char *const unsure[] = {
        "About the review and the refund, let's talk tomorrow.",
        "We can talk about the review when the refund arrives.",
        "Let's discuss the rating and the bonus later.",
    };
    for (size_t i = 0; i < sizeof unsure / sizeof unsure[0]; i++) {
        fb_case *c = one(unsure[i]);
        fb_rec r = rec_of(c);
        if (r.action != FB_A_NONE) {
            dump(c);
            fail_msg("\"%s\": %s, want read this case", unsure[i], fb_action_str(r.action));
        }
        /* the words that made it unsure are highlighted, with the reason */
        assert_true(c->n_matches >= 1);
        assert_true(strstr(r.why, "read this case: ") == r.why);
        fb_case_free(&c);
    }
    /* no talk of reviews at all, low risk: no_violation on positive grounds */
    fb_case *c = one("The refund has been processed, you should see it in 3-5 business days.");
    assert_int_equal(signals_stance(c), FB_STANCE_SILENT);
    assert_int_equal(rec_of(c).action, FB_A_NO_VIOLATION);
    fb_case_free(&c);
    c = one("If you're happy with the work, I'd really appreciate a review. No pressure.");
    assert_int_equal(signals_stance(c), FB_STANCE_OK);
    assert_int_equal(rec_of(c).action, FB_A_NO_VIOLATION);
    fb_case_free(&c);
}

/* no_violation only on positive grounds (issue 13): talk of reviews is plain only through a
 * recognised pressure-free pattern in a sentence free of every lever; anything else that talks
 * of reviews is "read this case", naming and highlighting the words. */
static void expect_read(const char *body, const char *why_part, const char *word)
{
    fb_case *c = one(body);
    fb_rec r = rec_of(c);
    if (r.action != FB_A_NONE || (why_part && !strstr(r.why, why_part))) {
        dump(c);
        fail_msg("\"%s\": %s (%s), want read this case%s%s", body, fb_action_str(r.action), r.why,
                 why_part ? " with " : "", why_part ? why_part : "");
    }
    assert_int_equal(signals_stance(c), FB_STANCE_READ);
    if (word && !highlighted(c, 0, word))
        fail_msg("\"%s\": \"%s\" is not highlighted", body, word);
    fb_case_free(&c);
}

static void expect_clear(const char *body, fb_stance stance)
{
    fb_case *c = one(body);
    fb_rec r = rec_of(c);
    if (r.action != FB_A_NO_VIOLATION || signals_stance(c) != stance) {
        dump(c);
        fail_msg("\"%s\": %s (%s), want no_violation (stance %d, got %d)", body, fb_action_str(r.action), r.why,
                 (int)stance, (int)signals_stance(c));
    }
    fb_case_free(&c);
}

static void test_no_violation_only_on_positive_grounds(void **state)
{
    (void)state;
    /* talk of reviews with no lever the rules know, and no plain pattern: read, not safe */
    expect_read("Your review will decide how the rest of this week goes for you.",
                "in a way these rules do not recognise as plain", "review");
    expect_read("A stellar review from me would go nicely with that invoice you never sent.",
                "in a way these rules do not recognise as plain", NULL);
    /* talk of reviews in other words (what I write about you, where people read it) */
    expect_read("Everyone on this site reads what I write about you.", NULL, NULL);
    /* a plain word does not carry a condition or a lever in the same sentence: never clear
     * (the extortion frames of the fourth pass call this one a lever, which is better still) */
    expect_code("My review will be honest if the extra pages are included.", FB_V_FEEDBACK_EXTORTION, "review");
    fb_case *c = one("I'd appreciate a review, and if it's glowing your next order is on me.");
    assert_int_not_equal(rec_of(c).action, FB_A_NO_VIOLATION);
    fb_case_free(&c);
    /* a plain sentence beside a lever in another sentence: read */
    expect_read("Please leave a review when you have time. The extra pages are on the house.", NULL, "on the house");
    /* a plain sentence beside several sentences the rules notice and cannot account for */
    expect_read("Thanks for the review! The payment went out tonight. Close it right after. I must say the logo came out great.",
                "several other sentences", NULL);
    /* levers with no talk of reviews: pressure with a money demand, one person on both sides,
     * a rating recalled with a turn asked back */
    expect_read("You'd better think twice. Send the money for the last milestone back.", "with pressure", NULL);
    c = one("Funny thing, on this contract I play both sides.");
    assert_int_not_equal(rec_of(c).action, FB_A_NO_VIOLATION);
    fb_case_free(&c);
    c = one("I gave you five last week, your turn now.");
    assert_int_not_equal(rec_of(c).action, FB_A_NO_VIOLATION);
    fb_case_free(&c);

    /* positive grounds, each in its own words */
    expect_clear("If you're happy with the work, a review would be great.", FB_STANCE_OK);
    expect_clear("Just a friendly reminder that the contract closes tomorrow; feedback is always welcome.", FB_STANCE_OK);
    expect_clear("Thanks so much for the five stars, it was a pleasure.", FB_STANCE_OK);
    expect_clear("I already left my review, good luck with the launch!", FB_STANCE_OK);
    expect_clear("I'll leave honest feedback once I've tested everything.", FB_STANCE_OK);
    expect_clear("I would never pay for a review.", FB_STANCE_OK);
    expect_clear("Rate the work however you see fit.", FB_STANCE_OK);
    expect_clear("The reviews on your profile are why I picked you.", FB_STANCE_OK);
    /* "review" in another sense is no talk of reviews */
    expect_clear("The code review found two bugs, and the review period ends Friday.", FB_STANCE_SILENT);
    expect_clear("Can you rate each of the three logos from 1 to 10?", FB_STANCE_SILENT);
    expect_clear("The star icons in the footer look blurry on mobile.", FB_STANCE_SILENT);

    /* a dash between words is no arrow: "->" and "=>" are written as arrows in the lexicon */
    expect_clear("Please leave a review - thanks a lot", FB_STANCE_OK);
    expect_code("5 stars -> refund", FB_V_PAID_FEEDBACK, "refund");
    /* a courtesy takes out the condition inside it, nothing after it */
    expect_code("If you're happy, leave 5 stars and I'll refund the fee.", FB_V_PAID_FEEDBACK, "refund");
    /* a plain sentence still speaks to the message's violation frames */
    expect_code("Can you redo the banner for free? I'll give you five stars.", FB_V_FREE_WORK_FOR_REVIEW, NULL);

    /* the classes the analyser sets take no terms */
    fb_analyser *a = NULL;
    fb_err err = {0};
    assert_int_equal(analyser_new(&a, &err), FB_OK);
    assert_int_equal(analyser_add_term(a, "lexicon:4", "ok_ground", "fine", &err), FB_EINPUT);
    assert_non_null(strstr(err.msg, "lexicon:4: class: \"ok_ground\" is set by the analyser"));
    assert_int_equal(analyser_add_term(a, "lexicon:5", "unexplained", "hmm", &err), FB_EINPUT);
    analyser_free(&a);
}

/* The rules read one language: a message in another (no everyday word of the rules' language
 * in five words or more, or a run of another script) is never dismissed on silence. */
static void test_unread_language_is_read(void **state)
{
    (void)state;
    static const char *const other[] = {
        "Te devuelvo el dinero si cambias tu opinión en la página.",
        "Ich ändere meine Meinung über dich nur gegen Geld, verstanden?",
        "Если не сделаешь бесплатно, пожалеешь об этом.",
        "如果你不免费修改，我就给你差评。",
    };
    for (size_t i = 0; i < sizeof other / sizeof other[0]; i++) {
        fb_case *c = one(other[i]);
        fb_rec r = rec_of(c);
        if (r.action == FB_A_NO_VIOLATION) {
            dump(c);
            fail_msg("\"%s\": no_violation on a language the rules do not read", other[i]);
        }
        fb_case_free(&c);
    }
    /* short everyday English without talk of reviews stays clear */
    static const char *const clear[] = {"Done.", "Sent the files, thanks!", "The invoice is attached to this message.",
                                        "Great work 🎉🎉🎉🎉🎉", "👍 👍 👍 👍 👍 👍", "Merci — “parfait” ✓✓✓"};
    for (size_t i = 0; i < sizeof clear / sizeof clear[0]; i++) {
        fb_case *c = one(clear[i]);
        if (rec_of(c).action != FB_A_NO_VIOLATION) {
            dump(c);
            fail_msg("\"%s\": want no_violation", clear[i]);
        }
        fb_case_free(&c);
    }
    /* "unread" is the analyser's own: an operator cannot give it terms */
    fb_analyser *a = NULL;
    fb_err err = {0};
    assert_int_equal(analyser_new(&a, &err), FB_OK);
    assert_int_equal(analyser_add_term(a, "lexicon:3", "unread", "hola", &err), FB_EINPUT);
    assert_non_null(strstr(err.msg, "lexicon:3: class"));
    analyser_free(&a);
}

static void test_unicode_folding_and_offsets(void **state)
{
    (void)state;
    /* fullwidth and upper case, accents: folded before matching; the highlight covers the
     * original bytes */
    const char *body = "Ça va? ＲＥＦＵＮＤ for ＦＩＶＥ ＳＴＡＲＳ, promis.";
    fb_case *c = one(body);
    assert_int_equal(c->suggested, FB_V_PAID_FEEDBACK);
    assert_true(highlighted(c, 0, "ＲＥＦＵＮＤ"));
    for (size_t i = 0; i < c->n_matches; i++) {
        /* every match starts and ends on a character boundary of the original */
        unsigned char s0 = (unsigned char)body[c->matches[i].start];
        unsigned char e0 = (unsigned char)body[c->matches[i].start + c->matches[i].len];
        assert_true((s0 & 0xc0) != 0x80);
        assert_true((e0 & 0xc0) != 0x80);
    }
    fb_case_free(&c);
    expect_code("Je vous rembourse — I'll give the money back for a révïew with 5 étoiles... 5 STARS", FB_V_PAID_FEEDBACK,
                "money");
    fb_folded f = {0};
    fb_err err = {0};
    assert_int_equal(text_fold("ÉCOLE Ｒéview ß", strlen("ÉCOLE Ｒéview ß"), &f, &err), FB_OK);
    assert_string_equal(f.t, "ecole review ss");
    assert_int_equal(text_fold_orig(&f, 0), 0);
    assert_int_equal(text_fold_orig(&f, 1), 2);          /* "É" is two bytes */
    assert_int_equal(text_fold_orig(&f, f.n), strlen("ÉCOLE Ｒéview ß"));
    /* invalid UTF-8 is kept as it is */
    assert_int_equal(text_fold("a\xff" "B", 3, &f, &err), FB_OK);
    assert_int_equal(f.n, 3);
    assert_memory_equal(f.t, "a\xff" "b", 3);
    text_fold_free(&f);
}

static void test_chat_spelling_and_misspellings(void **state)
{
    (void)state;
    expect_code("pls giv 5str n i refund u", FB_V_PAID_FEEDBACK, "5str");
    expect_code("I will refnd you after ur reveiw with five stars", FB_V_PAID_FEEDBACK, "refnd");
    expect_code("do it for free and u get gud feedbak from me", FB_V_FREE_WORK_FOR_REVIEW, "feedbak");
    /* a real word one slip from a lexicon word is not "corrected" when it starts differently */
    fb_case *c = one("Preview the dating app before the call.");
    assert_int_equal(c->n_signals, 0);
    fb_case_free(&c);
}

static void test_explanation_names_the_words(void **state)
{
    (void)state;
    fb_case *c = one("Leave 5 stars and I'll tip you 20 bucks.");
    const fb_signal *g = NULL;
    for (size_t i = 0; i < c->n_signals; i++)
        if (c->signals[i].violation == FB_V_PAID_FEEDBACK)
            g = &c->signals[i];
    if (!g)
        fail_msg("no paid_feedback signal");
    assert_string_equal(g->code, "msg_paid_for_rating");
    assert_true(g->weight > 0);
    /* one sentence, naming the words as written (overlapping words of one class as one) */
    assert_non_null(strstr(g->sentence, "\u201cLeave 5 stars\u201d"));
    assert_non_null(strstr(g->sentence, "\u201ctip you\u201d"));
    assert_null(strchr(g->sentence, '\n'));
    fb_case_free(&c);
}

static void test_honest_wording_stays_clear(void **state)
{
    (void)state;
    static const char *const honest[] = {
        "Please leave honest feedback when you have a moment.",
        "If you were happy with the work, I'd appreciate a review. No pressure at all!",
        "Could you leave feedback on the contract once you've reviewed the files? Thank you.",
        "Let me know if you need any changes, unless you're happy with it as is.",
        "Unless you have more feedback on the draft, I'll send the final version.",
        "I processed the refund for the cancelled milestone as agreed.",
        "Your feedback helps me a lot — whatever rating you think is fair.",
        "My team will deliver the rest tomorrow.",
        "I'll review the brief and get back to you.",
        "Happy to work together again! I left you 5 stars as well.",
        "Would you mind rating my work? Only if you have time.",
        "I will leave feedback after I test the app.",
        "The test job went well, let's start the real project.",
        "Unpaid invoices are listed in the report; please review them.",
        "I'm at the office today, I'll review the draft tonight.",
        "Please don't forget to close the contract or I will not get paid.",
        "We could try a different budget, or else split it into two milestones.",
        "Our colleague in design will join the call.",
        "The review period is 14 days, after that the payment is released.",
        "I'm not satisfied with the quality, I want a partial refund.",
        "I will open a dispute if the files are not fixed by Friday.",
        "Feel free to rate however you like, I respect your opinion.",
        "The reviewer in our team asked for a few changes to the wording.",
    };
    for (size_t i = 0; i < sizeof honest / sizeof honest[0]; i++) {
        fb_case *c = one(honest[i]);
        fb_rec r = rec_of(c);
        if (r.action != FB_A_NO_VIOLATION) {
            dump(c);
            fail_msg("\"%s\": %s (%s), want no_violation", honest[i], r.action == FB_A_NONE ? "read this case" : fb_action_str(r.action), r.why);
        }
        fb_case_free(&c);
    }
}

/* An ok frame judges one sentence; a later sentence that brings what it rules out (a turn
 * asked back) takes its ground away. The same sentence alone, or with thanks, stays clear. */
static void test_ok_sentence_released_by_the_message(void **state)
{
    (void)state;
    expect_code("I gave you five stars last month. Your turn now.", FB_V_CONFLICT_OF_INTEREST, "Your turn");
    expect_code("i left u a 10 on the last gig! ur turn :)", FB_V_CONFLICT_OF_INTEREST, NULL);
    fb_case *c = one("I gave you five stars last month. Thanks again for the great work!");
    assert_int_equal(c->suggested, FB_V_NONE);
    assert_int_equal(signals_stance(c), FB_STANCE_OK);
    assert_int_equal(rec_of(c).action, FB_A_NO_VIOLATION);
    fb_case_free(&c);
}

/* The one finding a body yields with analyser a (code NULL: none at all). */
static void expect_finding(const fb_analyser *a, const char *body, const char *code)
{
    fb_err err = {0};
    fb_case *c = fb_case_new();
    fb_message *m = fb_grow((void **)&c->messages, &c->n_messages, sizeof *m);
    m->body = fb_strdup(body);
    fb_finding *f = NULL;
    size_t n = 0;
    assert_int_equal(analyser_run(a, c, &f, &n, &err), FB_OK);
    if (code ? n != 1 || strcmp(f[0].code, code) != 0 : n != 0)
        fail_msg("\"%s\": %zu findings (%s), want %s", body, n, n ? f[0].code : "-", code ? code : "none");
    analyser_findings_free(&f, n);
    fb_case_free(&c);
}

/* An "ignore" span says what its own words are not; a term of another class that starts where
 * it starts and runs past it is a longer reading and counts. A hit inside the span, or one that
 * begins inside it, does not; a courtesy still takes out every hit that begins inside it. */
static void test_ignore_yields_to_a_longer_reading(void **state)
{
    (void)state;
    static const char lex[] = "ignore\trating box\n"
                              "veiled\trating box is open\n"
                              "review\trating\n"
                              "ask\twaiting on\n"
                              "courtesy\tthank you for\n"
                              "thanks\tthank you for the\n";
    static const char frames[] = "veiled_ask\tfeedback_extortion\t45\tsentence\tveiled ask\tveiled {veiled}\n"
                                 "rated\tread\t0\tsentence\treview\tabout {review}\n"
                                 "thanked\tread\t0\tsentence\tthanks\tthanks {thanks}\n";
    fb_analyser *a = NULL;
    fb_err err = {0};
    assert_int_equal(analyser_parse("lexicon.tsv", lex, "frames.tsv", frames, &a, &err), FB_OK);
    static const struct {
        const char *body, *code;   /* code NULL: no finding at all */
    } cases[] = {
        {"The rating box is open on my screen, waiting on that refund.", "msg_veiled_ask"},
        {"The rating box looks odd on mobile.", NULL},          /* inside the span: no review */
        {"The rating box opened, waiting on the designer.", NULL}, /* no longer reading */
        {"Thank you for the files.", NULL},                    /* a courtesy is not outrun */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        expect_finding(a, cases[i].body, cases[i].code);
    analyser_free(&a);
}

/* A set (outcome "set") is one list of classes that frames use as @name and !@name: the ok
 * frame that rules out every lever and the read frame that looks for one beside it name the
 * list once, and a lever added to the set reaches both. */
static void test_frame_sets(void **state)
{
    (void)state;
    static const char lex[] = "money\trefund\n"
                              "threat\tor else\n"
                              "favour\tas a favour\n"
                              "review\treview\n"
                              "request\tplease\n";
    static const char frames[] = "lever\tset\t0\t-\tmoney|threat\tlevers\n"
                                 "plain\tok\t0\tsentence\trequest review !@lever\tasks plainly ({request})\n"
                                 "lever_near\tread\t0\tmessage\treview @lever\tspeaks of {review} beside a lever\n";
    static const char frames2[] = "lever\tset\t0\t-\tmoney|threat|favour\tlevers\n"
                                  "plain\tok\t0\tsentence\trequest review !@lever\tasks plainly ({request})\n"
                                  "lever_near\tread\t0\tmessage\treview @lever\tspeaks of {review} beside a lever\n";
    static const struct {
        const char *frames, *body, *code;
    } cases[] = {
        {frames, "Please leave a review.", "ok_plain"},
        {frames, "Please leave a review, or else.", "read_lever_near"},
        {frames, "Please leave a review and I will refund you.", "read_lever_near"},
        {frames, "Please leave a review, I did the logo as a favour.", "ok_plain"},  /* not in the set */
        {frames2, "Please leave a review, I did the logo as a favour.", "read_lever_near"}, /* added once */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        fb_analyser *a = NULL;
        fb_err err = {0};
        assert_int_equal(analyser_parse("lexicon.tsv", lex, "frames.tsv", cases[i].frames, &a, &err), FB_OK);
        expect_finding(a, cases[i].body, cases[i].code);
        analyser_free(&a);
    }
    /* the set's rows are kept as written (seeded into the store and published as they are) */
    fb_analyser *a = NULL;
    fb_err err = {0};
    assert_int_equal(analyser_parse("lexicon.tsv", lex, "frames.tsv", frames, &a, &err), FB_OK);
    assert_int_equal(analyser_frame_count(a), 3);
    fb_frame_row row;
    analyser_frame_get(a, 0, &row);
    assert_string_equal(row.outcome, "set");
    assert_string_equal(row.needs, "money|threat");
    analyser_frame_get(a, 1, &row);
    assert_string_equal(row.needs, "request review !@lever");
    analyser_free(&a);
}

/* The lexicon passes reconciled with positive grounds (w-recon): the platform's review
 * machinery is talk of reviews (plain alone, a lever's anchor beside one); no ok frame holds a
 * sentence with a veiled warning in it; a review tied to the work itself or to a time, and the
 * sender settling its own invoice, are plain; a plain sentence beside pressure still is not. */
static void test_machinery_timing_and_settling(void **state)
{
    (void)state;
    /* the review box, form or process beside a lever: never dismissed */
    expect_code("The rating box is still empty, and I haven't seen the refund for the extra round yet.",
                FB_V_FEEDBACK_EXTORTION, "rating");
    expect_code("Honestly, the feedback form is open in my other tab. Still waiting on that discount.",
                FB_V_FEEDBACK_EXTORTION, NULL);
    expect_code("It's a two-way street: drop the rush fee and the whole review process goes smoothly.",
                FB_V_FEEDBACK_EXTORTION, NULL);
    expect_code("I know exactly what to write if that fee stays on the bill.", FB_V_FEEDBACK_EXTORTION, NULL);
    /* alone, the machinery is plain; other senses of "review" stay no talk of reviews */
    expect_clear("We're building a review section for the shop's product pages.", FB_STANCE_OK);
    expect_clear("The QA review of build 12 is done, and the review period ends Friday.", FB_STANCE_SILENT);
    /* a rating "from me" said not to be a given beside a charge: no rating already given */
    expect_code("Your 5 stars from me are not a given while the overtime bill is still open.", FB_V_FEEDBACK_EXTORTION,
                NULL);
    /* a favour asked and a rating promised, in one sentence with a deal or in two */
    expect_code("Throw in a couple of extra banners and you'll get five stars from me, deal?",
                FB_V_FREE_WORK_FOR_REVIEW, NULL);
    expect_code("Could you throw in the source files too? I'll rate you five stars for sure.",
                FB_V_FREE_WORK_FOR_REVIEW, NULL);
    /* when and how one will review, said without pressure: plain */
    expect_clear("I'll pay the invoice tonight and leave the review after delivery.", FB_STANCE_OK);
    expect_clear("Things got busy. We'll pay the bill today and post our review on Monday.", FB_STANCE_OK);
    expect_clear("Send me the bill for the rush hours, I'll pay it and review you afterwards.", FB_STANCE_OK);
    expect_clear("My rating will be based on the quality of the work, nothing more.", FB_STANCE_OK);
    expect_clear("I'll leave my review after delivery. The invoice for the rush hours is attached.", FB_STANCE_OK);
    expect_clear("Your five-star average speaks for itself, we'd love to work with you again.", FB_STANCE_OK);
    /* the same plan beside pressure about the charge, or beside money offered: not plain */
    fb_case *c = one("I'll leave my review after delivery. You'd better think twice before you send me that invoice.");
    assert_int_not_equal(rec_of(c).action, FB_A_NO_VIOLATION);
    fb_case_free(&c);
    expect_read("I'll leave my review after delivery. The extra pages are on the house.", NULL, NULL);
    /* work not started or paused, changes before a review is left: no sham, no review changed */
    expect_clear("Let me know if you need any tweaks before you write your review.", FB_STANCE_SILENT);
    expect_clear("You get a full refund if no work has started yet.", FB_STANCE_SILENT);
    expect_clear("Nothing to deliver today, I'm still waiting on the client's copy.", FB_STANCE_SILENT);
    expect_code("Nothing to deliver here, just accept and leave me a review.", FB_V_FAKE_JOB, NULL);
    /* a time word does not take the condition out of a trade */
    expect_code("Leave me five stars tomorrow and I'll refund the rush fee.", FB_V_PAID_FEEDBACK, "refund");
}

/* Classes said in general terms (issue 13, fourth pass): ratings as numbers and scores, the
 * people who work or live together, one person on both sides, work that is not real; and the
 * same words used honestly. */
static void test_numbers_relations_accounts_no_work(void **state)
{
    (void)state;
    expect_code("Give me a 10 and you'll get a 10 from me.", FB_V_CONFLICT_OF_INTEREST, NULL);
    expect_code("My landlord's son is hiring me and he'll give me top marks.", FB_V_CONFLICT_OF_INTEREST, "landlord's son");
    expect_code("As your supervisor I'll post a small task and leave you a perfect score.", FB_V_CONFLICT_OF_INTEREST, NULL);
    expect_code("We're on the same team at work, so let's keep the ratings between us.", FB_V_CONFLICT_OF_INTEREST, "between us");
    expect_code("The client and the freelancer on this contract are both me.", FB_V_SELF_HIRE, "are both me");
    expect_code("My sister lets me use her account, so I post orders there and deliver them here.", FB_V_SELF_HIRE, NULL);
    expect_code("I made the order up so my profile gets a review.", FB_V_FAKE_JOB, "made the order up");
    expect_code("It's a shell contract, I close it tonight and you get a positive review.", FB_V_FAKE_JOB, "shell contract");
    expect_code("The research task isn't real, I just need a closed job with feedback.", FB_V_FAKE_JOB, "isn't real");
    static const char *const honest[] = {
        "I gave you 5 extra days because of the holiday.",
        "The task is not really hard, maybe two hours of work.",
        "The feed is not real-time, so no websockets needed.",
        "Your turn to pick the colour palette.",
        "Happy with the result! I left you 5 stars, now you can show it to new clients.",
        "The client on this job is my own company, we need a logo for it.",
    };
    for (size_t i = 0; i < sizeof honest / sizeof honest[0]; i++) {
        fb_case *c = one(honest[i]);
        fb_rec r = rec_of(c);
        if (c->suggested != FB_V_NONE || r.action != FB_A_NO_VIOLATION) {
            dump(c);
            fail_msg("\"%s\": %s, want no_violation", honest[i], r.action == FB_A_NONE ? "read this case" : fb_action_str(r.action));
        }
        fb_case_free(&c);
    }
    /* people who know each other talking of an ordinary review: not a conflict of interest */
    static const char *const related[] = {
        "Our team rated the first draft 8 out of 10, a few tweaks needed.",
        "My staff will test the app and send you feedback by Monday.",
    };
    for (size_t i = 0; i < sizeof related / sizeof related[0]; i++) {
        fb_case *c = one(related[i]);
        if (c->suggested != FB_V_NONE) {
            dump(c);
            fail_msg("\"%s\": suggested %s, want none", related[i], fb_violation_str(c->suggested));
        }
        fb_case_free(&c);
    }
    /* another account spoken of in words honest talk uses too: read, never self_hire; with a
     * deal on the platform, self_hire */
    static const char *const accounts[] = {
        "Use my second email for the Dropbox share, the first one is full.",
        "The other account manager will join the call tomorrow.",
        "We have two accounts on the analytics tool, I'll add you to both.",
    };
    for (size_t i = 0; i < sizeof accounts / sizeof accounts[0]; i++) {
        fb_case *c = one(accounts[i]);
        if (c->suggested != FB_V_NONE) {
            dump(c);
            fail_msg("\"%s\": suggested %s, want none", accounts[i], fb_violation_str(c->suggested));
        }
        fb_case_free(&c);
    }
    expect_code("Use my second email for the buyer side, then accept the offer here.", FB_V_SELF_HIRE, "my second email");
    /* an account in trouble is spoken of, not a second person made up: read, never self_hire */
    fb_case *c = one("My other account got suspended by mistake, support is helping me.");
    assert_int_equal(c->suggested, FB_V_NONE);
    fb_case_free(&c);
}

/* ---- the word-pattern syntax ---- */

static int count_hits(void *ctx, size_t p, int tag, size_t s, size_t e)
{
    (void)p, (void)tag, (void)s, (void)e;
    (*(int *)ctx)++;
    return 0;
}

static void test_pattern_syntax(void **state)
{
    (void)state;
    static const struct { const char *pat, *text; int hits; } t[] = {
        {"won't [pay|refund]*[5|five] star", "i wont refund unless five stars", 1},
        {"won't [pay|refund]*[5|five] star", "i won’t pay, not for 5-stars", 1},
        {"won't [pay|refund]*[5|five] star", "i won't pay a b c d e f 5 stars", 1},   /* six words skipped */
        {"won't [pay|refund]*[5|five] star", "i won't pay a b c d e f g 5 stars", 0}, /* seven: too many */
        {"won't [pay|refund]*[5|five] star", "i won't pay. 5 stars", 0},              /* not past a sentence */
        {"won't [pay|refund]*[5|five] star", "i won't pay $5.00 for 5 stars", 1},     /* a decimal point */
        {"won't [pay|refund]*[5|five] star", "swon't pay 5 stars", 0},                /* starts at a word */
        {"you>", "your", 0},
        {"you>", "you.", 1},
        {"$# off", "$20 off", 1},
        {"#%", "take 12.5% now", 1},
        {"# usd", "1,000 usd", 1},
        {"5\\*", "5* please", 1},
        {"5\\*", "5 please", 0},
        {"5 star", "5-star 5star 5  star", 3},
        /* a literal ending a word meets its inflections (once per word) */
        {"refund you", "refunded you, refunding you, refunds you", 3},
        {"rate me", "rating me rated me rates me", 3},
        {"drop", "dropped dropping drops", 3},
        {"rate>", "rated rates rate", 1},   /* > means the word ends as written */
        {"reply", "replied replies", 2},
        {"hire myself", "hired myself", 1},
        {"rate>", "rather", 0},
        {"[give|leave] me", "giving me leaving me", 2},
    };
    fb_err err = {0};
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        fb_patterns *p = NULL;
        assert_int_equal(patterns_new(&p, &err), FB_OK);
        if (patterns_add(p, "t", "term", t[i].pat, 0, &err) != FB_OK)
            fail_msg("%s", err.msg);
        int hits = 0;
        patterns_scan(p, t[i].text, strlen(t[i].text), count_hits, &hits);
        if (hits != t[i].hits)
            fail_msg("\"%s\" in \"%s\": %d hits, want %d", t[i].pat, t[i].text, hits, t[i].hits);
        patterns_free(&p);
    }
}

/* Deferred loading: nothing is scanned with buckets not built, everything once built. */
static void test_pattern_deferred_build(void **state)
{
    (void)state;
    fb_err err = {0};
    fb_patterns *p = NULL;
    assert_int_equal(patterns_new(&p, &err), FB_OK);
    patterns_defer(p, 1);
    assert_int_equal(patterns_add(p, "t", "term", "refund", 0, &err), FB_OK);
    assert_int_equal(patterns_add(p, "t", "term", "[5|five] star", 1, &err), FB_OK);
    int hits = 0;
    static const char text[] = "refunded for five stars";
    assert_int_equal(patterns_scan(p, text, strlen(text), count_hits, &hits), -1);
    assert_int_equal(hits, 0);
    assert_int_equal(patterns_build(p, &err), FB_OK);
    assert_int_equal(patterns_scan(p, text, strlen(text), count_hits, &hits), 0);
    assert_int_equal(hits, 2);
    patterns_free(&p);
}

static void expect_parse_error(const char *lex, const char *frames, const char *msg)
{
    fb_analyser *a = NULL;
    fb_err err = {0};
    assert_int_equal(analyser_parse("lexicon.tsv", lex, "frames.tsv", frames, &a, &err), FB_EINPUT);
    assert_null(a);
    if (strncmp(err.msg, msg, strlen(msg)) != 0)
        fail_msg("got \"%s\", want it to start with \"%s\"", err.msg, msg);
}

static void test_parse_errors_name_file_line_field(void **state)
{
    (void)state;
    const char *lex = "# classes\nmoney\trefund\nrating\t5 star\n";
    const char *fr = "# frames\npaid\tpaid_feedback\t45\tsentence\tmoney rating\toffers {money} for {rating}\n";
    char l[512], f[512];
    snprintf(l, sizeof l, "%sBad Name\tx\n", lex);
    expect_parse_error(l, fr, "lexicon.tsv:4: class: \"Bad Name\" is not a class name");
    snprintf(l, sizeof l, "%smoney\t[a|b\n", lex);
    expect_parse_error(l, fr, "lexicon.tsv:4: term: '[' without its ']'");
    snprintf(l, sizeof l, "%smoney\trefund\n", lex);
    expect_parse_error(l, fr, "lexicon.tsv:4: term: \"refund\" appears twice");
    snprintf(l, sizeof l, "%smoney\n", lex);
    expect_parse_error(l, fr, "lexicon.tsv:4: term: missing");
    snprintf(l, sizeof l, "%sspelling\tnoequals\n", lex);
    expect_parse_error(l, fr, "lexicon.tsv:4: term: a spelling is variant=canonical");
    snprintf(l, sizeof l, "%smoney\tRefund\n", lex);
    expect_parse_error(l, fr, "lexicon.tsv:4: term: \"Refund\" has upper case");
    snprintf(f, sizeof f, "%sx\tpaid\t45\tsentence\tmoney\ts\n", fr);
    expect_parse_error(lex, f, "frames.tsv:3: outcome: unknown \"paid\"");
    snprintf(f, sizeof f, "%sx\tpaid_feedback\t0\tsentence\tmoney\ts\n", fr);
    expect_parse_error(lex, f, "frames.tsv:3: weight: 0 is out of range");
    snprintf(f, sizeof f, "%sx\tread\t5\tsentence\tmoney\ts\n", fr);
    expect_parse_error(lex, f, "frames.tsv:3: weight: 5 for a read frame");
    snprintf(f, sizeof f, "%sx\tread\tten\tsentence\tmoney\ts\n", fr);
    expect_parse_error(lex, f, "frames.tsv:3: weight: \"ten\"");
    snprintf(f, sizeof f, "%sx\tread\t0\tparagraph\tmoney\ts\n", fr);
    expect_parse_error(lex, f, "frames.tsv:3: scope: \"paragraph\"");
    snprintf(f, sizeof f, "%sx\tread\t0\tsentence\tmoney nope\ts\n", fr);
    expect_parse_error(lex, f, "frames.tsv:3: needs: unknown class \"nope\"");
    snprintf(f, sizeof f, "%sx\tread\t0\tsentence\t!money\ts\n", fr);
    expect_parse_error(lex, f, "frames.tsv:3: needs: no class that must occur");
    snprintf(f, sizeof f, "%sx\tread\t0\tsentence\tmoney\tabout {rating}\n", fr);
    expect_parse_error(lex, f, "frames.tsv:3: sentence: \"{rating}\" names no class the frame needs");
    snprintf(f, sizeof f, "%spaid\tread\t0\tsentence\tmoney\ts\n", fr);
    expect_parse_error(lex, f, "frames.tsv:3: name: \"paid\" appears twice");
    snprintf(f, sizeof f, "%sx\tread\t0\tsentence\tmoney\n", fr);
    expect_parse_error(lex, f, "frames.tsv:3: sentence: missing");
    snprintf(f, sizeof f, "%sx\tread\t0\tsentence\tmoney\ts\textra\n", fr);
    expect_parse_error(lex, f, "frames.tsv:3: sentence: contains a TAB");
    /* sets: scope -, one list without !, used below their row, never inside another set */
    snprintf(f, sizeof f, "%slev\tset\t0\tsentence\tmoney\ts\n", fr);
    expect_parse_error(lex, f, "frames.tsv:3: scope: \"sentence\" (a set has scope -");
    snprintf(f, sizeof f, "%sx\tread\t0\t-\tmoney\ts\n", fr);
    expect_parse_error(lex, f, "frames.tsv:3: scope: \"-\" (a set has scope -");
    snprintf(f, sizeof f, "%slev\tset\t0\t-\tmoney !rating\ts\n", fr);
    expect_parse_error(lex, f, "frames.tsv:3: needs: a set is one list a|b|c, with no !");
    snprintf(f, sizeof f, "%slev\tset\t5\t-\tmoney\ts\n", fr);
    expect_parse_error(lex, f, "frames.tsv:3: weight: 5 for a set frame");
    snprintf(f, sizeof f, "%sx\tread\t0\tsentence\trating !@lev\ts\n", fr);
    expect_parse_error(lex, f, "frames.tsv:3: needs: \"@lev\" names no set written above it");
    snprintf(f, sizeof f, "%slev\tset\t0\t-\tmoney\ts\nlev2\tset\t0\t-\t@lev|rating\ts\n", fr);
    expect_parse_error(lex, f, "frames.tsv:4: needs: \"@lev\" (a set names classes, not other sets)");
}

/* ---- the store's tables ---- */

static void exec_sql(const char *path, const char *sql)
{
    sqlite3 *db;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
}

static void test_tables_seeded_and_used_by_ingest(void **state)
{
    (void)state;
    const char *path = t_path("rules.db");
    fb_store *s = NULL;
    fb_err err = {0};
    assert_int_equal(store_open(path, STORE_CREATE, &s, &err), FB_OK);
    int64_t nt = -1, nf = -1;
    assert_int_equal(store_rules_count(s, &nt, &nf, &err), FB_OK);
    if (nt != 0 || nf != 0)
        fail_msg("new store: %lld terms, %lld frames (%s)", (long long)nt, (long long)nf, err.msg);
    fb_ingest *in = NULL;
    assert_int_equal(ingest_open(s, &in, &err), FB_OK);
    assert_int_equal(store_rules_count(s, &nt, &nf, &err), FB_OK);
    assert_int_equal(nt, (int64_t)analyser_term_count(an));
    assert_int_equal(nf, (int64_t)analyser_frame_count(an));
    ingest_close(&in);
    store_close(&s);

    /* an operator adds a class and a frame in front: the next ingest uses them, and the
     * case keeps the signal, the highlight and its explanation */
    exec_sql(path, "INSERT INTO lexicon_term(class, term) VALUES ('handshake', 'secret handshake');"
                   "UPDATE frame_rule SET id = id + 1000;"
                   "INSERT INTO frame_rule(id, name, outcome, weight, scope, needs, sentence) VALUES "
                   "(1, 'handshake', 'conflict_of_interest', 33, 'sentence', 'handshake', 'mentions the {handshake}')");
    assert_int_equal(store_open(path, 0, &s, &err), FB_OK);
    assert_int_equal(ingest_open(s, &in, &err), FB_OK);
    fb_case *c = fb_case_new();
    c->id = fb_strdup("C-9");
    c->opened_at = 1795500000000LL;
    fb_message *m = fb_grow((void **)&c->messages, &c->n_messages, sizeof *m);
    m->body = fb_strdup("Hi! Do the SECRET  handshake.");
    assert_int_equal(store_begin(s, &err), FB_OK);
    assert_int_equal(ingest_case(in, c, "local", &err), FB_OK);
    assert_int_equal(store_commit(s, &err), FB_OK);
    fb_case_free(&c);
    assert_int_equal(store_case_load(s, "C-9", &c, &err), FB_OK);
    assert_int_equal(c->n_signals, 1);
    assert_string_equal(c->signals[0].code, "msg_handshake");
    assert_string_equal(c->signals[0].sentence, "message mentions the \u201cSECRET  handshake\u201d");
    assert_int_equal(c->n_matches, 1);
    assert_int_equal(c->matches[0].start, 11);
    assert_int_equal(c->matches[0].len, 17);
    assert_string_equal(c->matches[0].why, "mentions the \u201cSECRET  handshake\u201d");
    fb_case_free(&c);
    ingest_close(&in);
    store_close(&s);

    /* a bad row is refused by its table and id, with what to do */
    exec_sql(path, "UPDATE frame_rule SET needs='handshake nosuch' WHERE name='handshake'");
    assert_int_equal(store_open(path, 0, &s, &err), FB_OK);
    assert_int_equal(ingest_open(s, &in, &err), FB_EINPUT);
    assert_null(in);
    if (!strstr(err.msg, "frame_rule 1: needs: unknown class \"nosuch\"") || !strstr(err.msg, "edit or delete that row"))
        fail_msg("unexpected error: %s", err.msg);
    store_close(&s);

    /* emptied tables are seeded again */
    exec_sql(path, "DELETE FROM frame_rule; DELETE FROM lexicon_term;");
    assert_int_equal(store_open(path, 0, &s, &err), FB_OK);
    assert_int_equal(ingest_open(s, &in, &err), FB_OK);
    assert_int_equal(store_rules_count(s, &nt, &nf, &err), FB_OK);
    assert_int_equal(nf, (int64_t)analyser_frame_count(an));
    ingest_close(&in);
    store_close(&s);
}

/* ---- a store analysed again when its rules or the analyser change ---- */

static void put_case(fb_store *s, fb_ingest *in, const char *id, const char *body)
{
    fb_err err = {0};
    fb_case *c = fb_case_new();
    c->id = fb_strdup(id);
    c->opened_at = 1795500000000LL;
    fb_message *m = fb_grow((void **)&c->messages, &c->n_messages, sizeof *m);
    m->body = fb_strdup(body);
    assert_int_equal(store_begin(s, &err), FB_OK);
    assert_int_equal(ingest_case(in, c, "local", &err), FB_OK);
    assert_int_equal(store_commit(s, &err), FB_OK);
    fb_case_free(&c);
}

static int has_signal(fb_store *s, const char *id, const char *code, size_t *n_signals, size_t *n_matches)
{
    fb_err err = {0};
    fb_case *c = NULL;
    assert_int_equal(store_case_load(s, id, &c, &err), FB_OK);
    int found = 0;
    for (size_t i = 0; i < c->n_signals; i++)
        found |= strcmp(c->signals[i].code, code) == 0;
    if (n_signals)
        *n_signals = c->n_signals;
    if (n_matches)
        *n_matches = c->n_matches;
    fb_case_free(&c);
    return found;
}

/* Opens the store as the console and the decision commands do (workflow_open): no case
 * is analysed again there. With case_id, loads that case as they do (workflow_case),
 * which analyses it again when stale; *redone says whether it was. */
static void open_workflow(const char *path, fb_store **s, const char *case_id, int *redone)
{
    fb_err err = {0};
    fb_config *cfg = config_defaults();
    fb_workflow *wf = NULL;
    assert_int_equal(store_open(path, 0, s, &err), FB_OK);
    if (workflow_open(*s, cfg, "rev", &wf, &err) != FB_OK)
        fail_msg("workflow_open: %s", err.msg);
    if (case_id) {
        fb_case *c = NULL;
        if (workflow_case(wf, case_id, &c, redone, &err) != FB_OK)
            fail_msg("workflow_case: %s", err.msg);
        assert_int_equal(c->analysis, t_sql_int(path, "SELECT analysis FROM \"case\" WHERE id='U-1'"));
        fb_case_free(&c);
    }
    workflow_close(&wf);
    config_free(&cfg);
}

/* What `fbreview reanalyse` does: every stale case, batch by batch; returns how many. */
static int64_t reanalyse_all(fb_store *s)
{
    fb_err err = {0};
    fb_ingest *in = NULL;
    int64_t done = -1;
    assert_int_equal(ingest_open_lazy(s, &in, &err), FB_OK);
    if (ingest_reanalyse_all(in, NULL, NULL, &done, &err) != FB_OK)
        fail_msg("ingest_reanalyse_all: %s", err.msg);
    assert_int_equal(ingest_pending(in, &err), 0);
    ingest_close(&in);
    return done;
}

static void test_store_analysed_again_on_upgrade(void **state)
{
    (void)state;
    static const char body[] = "Leave 5 stars and I'll tip you 20 bucks.";
    const char *path = t_path("upgrade.db");
    fb_store *s = NULL;
    fb_ingest *in = NULL;
    fb_err err = {0};
    assert_int_equal(store_open(path, STORE_CREATE, &s, &err), FB_OK);
    assert_int_equal(ingest_open(s, &in, &err), FB_OK);
    put_case(s, in, "U-1", body);
    put_case(s, in, "D-1", body);
    ingest_close(&in);
    store_close(&s);

    /* The store as an older fbreview left it: its tables seeded from older built-in rules
     * (and no record of that seed), its cases analysed with them (no signal here) and
     * carrying no fingerprint of their own (store version 8), one case decided. */
    exec_sql(path, "INSERT INTO decision(id, case_id, reviewer, action, decided_at) VALUES"
                   " ('00000000-0000-4000-8000-000000000001', 'D-1', 'rev', 'no_violation', 1);"
                   "DELETE FROM lexicon_term; DELETE FROM frame_rule;"
                   "INSERT INTO lexicon_term(class, term) VALUES ('review', 'review');"
                   "INSERT INTO frame_rule(name, outcome, weight, scope, needs, sentence) VALUES"
                   " ('old', 'read', 0, 'message', 'review', 'talks of {review}');"
                   "DELETE FROM sync_state WHERE key IN ('rules_seed', 'rules_rows', 'analysis');"
                   "UPDATE case_evidence SET data=json_remove(data, '$.s', '$.m');"
                   "UPDATE \"case\" SET risk=0, suggested=NULL, analysis=NULL;");
    /* Opening takes the new built-in rules but analyses nothing: it never waits for that. */
    open_workflow(path, &s, NULL, NULL);
    int64_t nt = -1, nf = -1;
    assert_int_equal(store_rules_count(s, &nt, &nf, &err), FB_OK);
    assert_int_equal(nt, (int64_t)analyser_term_count(an));
    assert_int_equal(nf, (int64_t)analyser_frame_count(an));
    size_t n_sig = 0, n_match = 0;
    assert_false(has_signal(s, "U-1", "msg_paid_for_rating", &n_sig, NULL));
    assert_int_equal(ingest_stale(s), 1);
    /* The walk analyses the undecided case again; the decided one keeps what its reviewer saw. */
    assert_int_equal(reanalyse_all(s), 1);
    if (!has_signal(s, "U-1", "msg_paid_for_rating", &n_sig, &n_match))
        fail_msg("the undecided case was not analysed again (%zu signals)", n_sig);
    assert_true(n_match > 0);
    assert_false(has_signal(s, "D-1", "msg_paid_for_rating", &n_sig, NULL));
    assert_int_equal(n_sig, 0);
    assert_int_equal(ingest_stale(s), 0);
    store_close(&s);

    /* An operator's edit (a frame in front) is kept, and the case shown is analysed with
     * it at once, before any walk. */
    exec_sql(path, "UPDATE frame_rule SET id = id + 1000;"
                   "INSERT INTO frame_rule(id, name, outcome, weight, scope, needs, sentence) VALUES"
                   " (1, 'operator', 'conflict_of_interest', 33, 'sentence', 'benefit', 'mentions {benefit}');");
    int redone = -1;
    open_workflow(path, &s, "U-1", &redone);
    assert_int_equal(redone, 1);
    assert_int_equal(store_rules_count(s, &nt, &nf, &err), FB_OK);
    assert_int_equal(nf, (int64_t)analyser_frame_count(an) + 1);
    assert_true(has_signal(s, "U-1", "msg_operator", NULL, NULL));
    /* the walk then has nothing left to do but record the store's fingerprint */
    assert_int_equal(ingest_stale(s), 1);
    assert_int_equal(reanalyse_all(s), 0);
    assert_int_equal(ingest_stale(s), 0);
    store_close(&s);

    /* A case analysed by another analyser (another fingerprint on the case): analysed again
     * by the walk; the operator's rules still stand. */
    exec_sql(path, "UPDATE \"case\" SET analysis=1; UPDATE sync_state SET value='older' WHERE key='analysis';"
                   "UPDATE case_evidence SET data=json_remove(data, '$.s', '$.m');");
    assert_int_equal(store_open(path, 0, &s, &err), FB_OK);
    assert_int_equal(reanalyse_all(s), 1);
    assert_true(has_signal(s, "U-1", "msg_operator", &n_sig, &n_match));
    assert_true(n_match > 0);
    store_close(&s);

    /* Nothing changed: nothing is analysed again, on open, on show or by a walk (a
     * stripped case stays stripped). */
    exec_sql(path, "UPDATE case_evidence SET data=json_remove(data, '$.s', '$.m') WHERE case_id='U-1';");
    redone = -1;
    open_workflow(path, &s, "U-1", &redone);
    assert_int_equal(redone, 0);
    assert_int_equal(ingest_refresh(s, &err), FB_OK);
    assert_int_equal(reanalyse_all(s), 0);
    assert_false(has_signal(s, "U-1", "msg_operator", NULL, NULL));
    store_close(&s);
}

/* ---- random input ---- */

static uint64_t fz_state = 0x9e3779b97f4a7c15u;
static uint64_t fz_next(void)
{
    fz_state ^= fz_state << 13;
    fz_state ^= fz_state >> 7;
    fz_state ^= fz_state << 17;
    return fz_state;
}

static void test_random_bodies(void **state)
{
    (void)state;
    static const char *const tokens[] = {
        "refund", "5", "five", "star", "stars", "review", "unless", "or", "i'll", "I’ll", "leave", "1",
        "for", "free", "same", "team", "my", "other", "account", "$", "$20", "bonus", "just", "a", "test",
        "job", ".", ",", "!", "?", "\n", "-", "'", "’", "é", "★", "\xe2\x80", "\xff", "  ", "ＲＥＶＩＥＷ", "u",
        "pls", "5str", "reveiw", "said", "never", "\xcc\x81", "ß", "İ", "ﬁ", "𝟓", "\x00x",
    };
    const size_t nt = sizeof tokens / sizeof tokens[0];
    for (int round = 0; round < 1500; round++) {
        char bodies[3][700];
        const char *ptrs[3];
        int nm = 1 + (int)(fz_next() % 3);
        for (int m = 0; m < nm; m++) {
            bodies[m][0] = '\0';
            int nw = (int)(fz_next() % 40);
            for (int w = 0; w < nw; w++) {
                strcat(bodies[m], tokens[fz_next() % nt]);
                if (fz_next() % 3)
                    strcat(bodies[m], " ");
            }
            ptrs[m] = bodies[m];
        }
        fb_case *c = msg_case(ptrs, (size_t)nm);
        for (size_t i = 0; i < c->n_matches; i++) {
            const fb_match *mt = &c->matches[i];
            assert_true(mt->message < c->n_messages);
            assert_true(mt->len > 0);
            assert_true(mt->start + mt->len <= strlen(c->messages[mt->message].body));
        }
        assert_true(c->risk >= 0 && c->risk <= 100);
        fb_case_free(&c);
    }
}

/* Large evidence is analysed whole: a 2 MiB message of ignored review words and one offer
 * at its very end (the offer is found, its highlight lies at the end of the body). */
static void test_large_message(void **state)
{
    (void)state;
    const char *unit = "The review period is 14 days, feel free to ask. ";
    const char *tail = "I'll refund you the $20 after you leave 5 stars.";
    size_t ul = strlen(unit), reps = (2u << 20) / ul;
    char *body = malloc(reps * ul + strlen(tail) + 1);
    assert_non_null(body);
    for (size_t i = 0; i < reps; i++)
        memcpy(body + i * ul, unit, ul);
    strcpy(body + reps * ul, tail);
    fb_case *c = one(body);
    assert_int_equal(c->suggested, FB_V_PAID_FEEDBACK);
    assert_true(c->n_matches >= 1);
    for (size_t i = 0; i < c->n_matches; i++)
        assert_true(c->matches[i].start >= reps * ul);
    fb_case_free(&c);
    free(body);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_each_violation_either_order),
        cmocka_unit_test(test_negation_and_reported_speech),
        cmocka_unit_test(test_read_this_case_when_nothing_decides),
        cmocka_unit_test(test_unread_language_is_read),
        cmocka_unit_test(test_unicode_folding_and_offsets),
        cmocka_unit_test(test_chat_spelling_and_misspellings),
        cmocka_unit_test(test_explanation_names_the_words),
        cmocka_unit_test(test_honest_wording_stays_clear),
        cmocka_unit_test(test_no_violation_only_on_positive_grounds),
        cmocka_unit_test(test_ok_sentence_released_by_the_message),
        cmocka_unit_test(test_machinery_timing_and_settling),
        cmocka_unit_test(test_ignore_yields_to_a_longer_reading),
        cmocka_unit_test(test_frame_sets),
        cmocka_unit_test(test_numbers_relations_accounts_no_work),
        cmocka_unit_test(test_pattern_syntax),
        cmocka_unit_test(test_pattern_deferred_build),
        cmocka_unit_test(test_parse_errors_name_file_line_field),
        cmocka_unit_test(test_tables_seeded_and_used_by_ingest),
        cmocka_unit_test(test_store_analysed_again_on_upgrade),
        cmocka_unit_test(test_random_bodies),
        cmocka_unit_test(test_large_message),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
