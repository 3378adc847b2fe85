/* The safe text renderer: hostile samples (escape sequences, C1, bidi, zero-width,
 * invalid UTF-8), widths, clipping, and a fuzz loop for the safety property:
 * nothing text_next or text_clip produces may ever contain a control byte, DEL,
 * a C1 control, a bidi control or an invisible format character. */
#include "testlib.h"

#include <locale.h>

#include "fbreview/text.h"

/* ---- the safety property, checked independently of the renderer's own tables ---- */

/* Strict UTF-8 decode for the checker (its own code, so a bug in text.c cannot hide). */
static long chk_decode(const unsigned char *s, size_t len, size_t *n)
{
    unsigned char c = s[0];
    if (c < 0x80) {
        *n = 1;
        return c;
    }
    int need = c >= 0xF0 ? 3 : c >= 0xE0 ? 2 : 1;
    if (c < 0xC2 || c > 0xF4 || (size_t)need + 1 > len)
        return -1;
    long v = c & (0x3F >> need);
    for (int i = 1; i <= need; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return -1;
        v = (v << 6) | (s[i] & 0x3F);
    }
    static const long min[] = {0, 0x80, 0x800, 0x10000};
    if (v < min[need] || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
        return -1;
    *n = (size_t)need + 1;
    return v;
}

static int forbidden_cp(long cp)
{
    if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F))
        return 1;
    if ((cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069) || cp == 0x200E ||
        cp == 0x200F || cp == 0x061C)
        return 1;   /* bidi controls */
    if ((cp >= 0x200B && cp <= 0x200D) || cp == 0x2060 || cp == 0xFEFF || cp == 0x00AD ||
        cp == 0x180E || cp == 0x2028 || cp == 0x2029)
        return 1;   /* zero-width and invisible */
    return 0;
}

/* Fails the test unless s is valid UTF-8 free of forbidden code points. */
static void assert_safe(const char *s, const char *what)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t len = strlen(s), i = 0;
    while (i < len) {
        size_t n = 0;
        long cp = chk_decode(p + i, len - i, &n);
        if (cp < 0 || forbidden_cp(cp)) {
            fprintf(stderr, "unsafe output at byte %zu (cp %lX) for %s: ", i, cp, what);
            for (size_t k = 0; k < len; k++)
                fprintf(stderr, "%02x ", p[k]);
            fprintf(stderr, "\n");
            fail();
        }
        i += n;
    }
}

/* Walks every unit of src: units tile the source exactly, each s[] is safe and its
 * width is what the kind says. Returns the number of units. */
static int check_units(const char *src, size_t len, const char *what)
{
    text_iter it;
    text_unit u;
    size_t at = 0;
    int n = 0;
    text_iter_init(&it, src, len);
    while (text_next(&it, &u)) {
        assert_int_equal(u.src_off, at);
        assert_true(u.src_len > 0);
        at += u.src_len;
        assert_true(strlen(u.s) < sizeof u.s);
        assert_safe(u.s, what);
        if (u.kind == TEXT_NEWLINE || u.kind == TEXT_TAB) {
            assert_int_equal(u.width, 0);
            assert_string_equal(u.s, "");
        } else {
            assert_true(u.width >= 1);
            assert_true(u.s[0] != '\0');
        }
        n++;
    }
    assert_int_equal(at, len);
    return n;
}

static void check_clip_safe(const char *src, size_t len, const char *what)
{
    char out[256];
    for (int cols = 0; cols <= 40; cols += 7) {
        for (int ell = 0; ell <= 1; ell++) {
            int used = text_clip(src, len, cols, ell, out, sizeof out);
            assert_true(used >= 0 && used <= cols);
            assert_safe(out, what);
            /* What we wrote, rendered again, takes exactly the columns we reported. */
            assert_int_equal(text_width(out, strlen(out)), (size_t)used);
        }
    }
}

/* The single-line rendering of a whole string (wide enough never to clip). */
static const char *render(const char *src, size_t len)
{
    static char out[1024];
    text_clip(src, len, 500, 0, out, sizeof out);
    return out;
}
#define RENDER(lit) render(lit, sizeof lit - 1)

/* ---- hostile samples ---- */

static const struct { const char *bytes; size_t len; const char *shown; } hostile[] = {
#define H(in, out) {in, sizeof in - 1, out}
    H("\x1b[2J", "^[[2J"),
    H("\x1b[31mred\x1b[0m", "^[[31mred^[[0m"),
    H("\x1b]0;title\x07", "^[]0;title^G"),
    H("\x1b]52;c;aGVsbG8=\x1b\\", "^[]52;c;aGVsbG8=^[\\"),
    H("\x1bP1$r0m\x1b\\", "^[P1$r0m^[\\"),                       /* DCS */
    H("\xc2\x90" "1$r\xc2\x9c", "<U+0090>1$r<U+009C>"),           /* 8-bit DCS .. ST */
    H("\xc2\x9b" "2J", "<U+009B>2J"),                             /* C1 CSI, valid UTF-8 */
    H("\x9b" "2J", "\xef\xbf\xbd" "2J"),                          /* raw 0x9b: invalid UTF-8 */
    H("\x1b" "c", "^[c"),                                         /* RIS: full reset */
    H("a\x07" "b\x08" "c\x7f", "a^Gb^Hc^?"),
    H("nul\0byte", "nul^@byte"),
    H("abc\xe2\x80\xae" "fed", "abc<U+202E>fed"),                 /* RLO */
    H("\xe2\x80\xaa\xe2\x80\xab\xe2\x80\xac\xe2\x80\xad", "<U+202A><U+202B><U+202C><U+202D>"),
    H("\xe2\x81\xa6\xe2\x81\xa7\xe2\x81\xa8\xe2\x81\xa9", "<U+2066><U+2067><U+2068><U+2069>"),
    H("\xe2\x80\x8e\xe2\x80\x8f\xd8\x9c", "<U+200E><U+200F><U+061C>"),
    H("pay\xe2\x80\x8bpal", "pay<U+200B>pal"),                    /* zero-width space */
    H("\xe2\x80\x8c\xe2\x80\x8d\xe2\x81\xa0\xef\xbb\xbf", "<U+200C><U+200D><U+2060><U+FEFF>"),
    H("re\xc2\xad" "fund", "re<U+00AD>fund"),                        /* soft hyphen */
    H("\xe1\xa0\x8e", "<U+180E>"),
    H("line\xe2\x80\xa8sep", "line<U+2028>sep"),
    H("tag\xf3\xa0\x81\xa1", "tag<U+E0061>"),                     /* invisible tag 'a' */
    H("\xcd\xb8", "<U+0378>"),                                    /* unassigned */
    H("\xef\xbf\xbf", "<U+FFFF>"),                                /* noncharacter */
#undef H
};

static void test_hostile_samples(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof hostile / sizeof hostile[0]; i++) {
        const char *got = render(hostile[i].bytes, hostile[i].len);
        if (strcmp(got, hostile[i].shown) != 0)
            fprintf(stderr, "sample %zu: got \"%s\", want \"%s\"\n", i, got, hostile[i].shown);
        assert_string_equal(got, hostile[i].shown);
        check_units(hostile[i].bytes, hostile[i].len, hostile[i].shown);
        check_clip_safe(hostile[i].bytes, hostile[i].len, hostile[i].shown);
    }
}

static void test_escape_units(void **state)
{
    (void)state;
    text_iter it;
    text_unit u;
    const char s[] = "\x1b[2Jx";
    text_iter_init(&it, s, sizeof s - 1);
    assert_int_equal(text_next(&it, &u), 1);
    assert_int_equal(u.kind, TEXT_ESCAPED);
    assert_string_equal(u.s, "^[");
    assert_int_equal(u.width, 2);
    assert_int_equal(u.src_off, 0);
    assert_int_equal(u.src_len, 1);
    assert_int_equal(text_next(&it, &u), 1);
    assert_int_equal(u.kind, TEXT_PLAIN);
    assert_string_equal(u.s, "[");
    assert_int_equal(u.src_off, 1);

    const char c1[] = "\xc2\x9b";
    text_iter_init(&it, c1, 2);
    assert_int_equal(text_next(&it, &u), 1);
    assert_int_equal(u.kind, TEXT_ESCAPED);
    assert_string_equal(u.s, "<U+009B>");
    assert_int_equal(u.width, 8);
    assert_int_equal(u.src_len, 2);
    assert_int_equal(text_next(&it, &u), 0);
    assert_int_equal(text_width(c1, 2), 8);
}

/* Each kind of ill-formed UTF-8, with the number of U+FFFD units Unicode's
 * "maximal subpart" practice gives it. */
static void test_invalid_utf8(void **state)
{
    (void)state;
    static const struct { const char *b; size_t len; int fffd; const char *why; } bad[] = {
#define B(s, n, why) {s, sizeof s - 1, n, why}
        B("\xc0\xaf", 2, "overlong 2-byte '/' (C0 never starts a sequence)"),
        B("\xc1\xbf", 2, "overlong 2-byte"),
        B("\xe0\x80\xaf", 3, "overlong 3-byte: E0 needs A0..BF next"),
        B("\xf0\x80\x80\xaf", 4, "overlong 4-byte: F0 needs 90..BF next"),
        B("\xed\xa0\x80", 3, "surrogate U+D800"),
        B("\xed\xbf\xbf", 3, "surrogate U+DFFF"),
        B("\xf4\x90\x80\x80", 4, "U+110000 above the range"),
        B("\xf5\x80\x80\x80", 4, "F5 never starts a sequence"),
        B("\xff\xfe", 2, "FF FE"),
        B("\x80", 1, "stray continuation"),
        B("\xbf\xbf", 2, "two stray continuations"),
        B("\xe6\xbc", 1, "truncated 3-byte at the end is one subpart"),
        B("\xf0\x9f\x98", 1, "truncated 4-byte at the end is one subpart"),
        B("\xc3", 1, "truncated 2-byte"),
        B("\xe6\xbc" "A", 1, "truncated 3-byte before ASCII"),
        B("\xf0\x9f\x98\xe6\xbc\xa2", 1, "truncated emoji then a good CJK"),
#undef B
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        text_iter it;
        text_unit u;
        int fffd = 0;
        text_iter_init(&it, bad[i].b, bad[i].len);
        while (text_next(&it, &u)) {
            if (strcmp(u.s, "\xef\xbf\xbd") == 0) {
                assert_int_equal(u.kind, TEXT_ESCAPED);
                assert_int_equal(u.width, 1);
                fffd++;
            }
        }
        if (fffd != bad[i].fffd)
            fprintf(stderr, "%s: %d U+FFFD, want %d\n", bad[i].why, fffd, bad[i].fffd);
        assert_int_equal(fffd, bad[i].fffd);
        assert_int_equal(text_utf8_valid(bad[i].b, bad[i].len), 0);
        check_units(bad[i].b, bad[i].len, bad[i].why);
    }
    /* The unit after a truncated sequence starts at the byte that broke it. */
    assert_string_equal(RENDER("\xe6\xbc" "A"), "\xef\xbf\xbd" "A");
    assert_string_equal(RENDER("\xf0\x9f\x98\xe6\xbc\xa2"), "\xef\xbf\xbd\xe6\xbc\xa2");
    assert_string_equal(RENDER("\xe0\x80\xaf"), "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");

    /* Valid text, including the edges of each range, is valid. */
    assert_int_equal(text_utf8_valid("", 0), 1);
    assert_int_equal(text_utf8_valid("plain", 5), 1);
    assert_int_equal(text_utf8_valid("\xc2\x80\xdf\xbf", 4), 1);              /* U+0080 U+07FF */
    assert_int_equal(text_utf8_valid("\xe0\xa0\x80\xed\x9f\xbf\xee\x80\x80", 9), 1); /* U+0800 U+D7FF U+E000 */
    assert_int_equal(text_utf8_valid("\xf0\x90\x80\x80\xf4\x8f\xbf\xbf", 8), 1);     /* U+10000 U+10FFFF */
    assert_int_equal(text_utf8_valid("\xe6\xbc\xa2\xe5\xad\x97\xf0\x9f\x98\x80", 10), 1);
}

static void test_wide_characters(void **state)
{
    (void)state;
    const char cjk[] = "\xe6\xbc\xa2\xe5\xad\x97";   /* 漢字 */
    text_iter it;
    text_unit u;
    text_iter_init(&it, cjk, sizeof cjk - 1);
    assert_int_equal(text_next(&it, &u), 1);
    assert_string_equal(u.s, "\xe6\xbc\xa2");
    assert_int_equal(u.width, 2);
    assert_int_equal(u.kind, TEXT_PLAIN);
    assert_int_equal(u.src_len, 3);
    assert_int_equal(text_next(&it, &u), 1);
    assert_int_equal(u.src_off, 3);
    assert_int_equal(text_next(&it, &u), 0);
    assert_int_equal(text_width(cjk, sizeof cjk - 1), 4);

    const char emoji[] = "\xf0\x9f\x98\x80";        /* 😀 */
    assert_int_equal(text_width(emoji, 4), 2);
    assert_string_equal(RENDER("\xf0\x9f\x98\x80"), emoji);

    /* A flag is two regional indicators; glibc gives each one column. */
    const char flag[] = "\xf0\x9f\x87\xba\xf0\x9f\x87\xb8";   /* 🇺🇸 */
    assert_int_equal(check_units(flag, 8, "flag"), 2);
    assert_int_equal(text_width(flag, 8), 2);
    assert_string_equal(RENDER("\xf0\x9f\x87\xba\xf0\x9f\x87\xb8"), flag);

    /* Right-to-left letters are shown as they are (only the controls are escaped). */
    const char hebrew[] = "\xd7\xa9\xd7\x9c\xd7\x95\xd7\x9d";  /* שלום */
    assert_int_equal(text_width(hebrew, sizeof hebrew - 1), 4);
    assert_string_equal(RENDER("\xd7\xa9\xd7\x9c\xd7\x95\xd7\x9d"), hebrew);

    /* Private use is shown. */
    assert_string_equal(RENDER("\xee\x80\x80"), "\xee\x80\x80");
}

static void test_combining_marks(void **state)
{
    (void)state;
    text_iter it;
    text_unit u;
    const char e_acute[] = "e\xcc\x81x";   /* e + U+0301, x */
    text_iter_init(&it, e_acute, sizeof e_acute - 1);
    assert_int_equal(text_next(&it, &u), 1);
    assert_string_equal(u.s, "e\xcc\x81");
    assert_int_equal(u.width, 1);
    assert_int_equal(u.kind, TEXT_PLAIN);
    assert_int_equal(u.src_len, 3);
    assert_int_equal(text_next(&it, &u), 1);
    assert_string_equal(u.s, "x");
    assert_int_equal(u.src_off, 3);
    assert_int_equal(text_width(e_acute, sizeof e_acute - 1), 2);

    /* Several marks on a wide base. */
    const char stacked[] = "\xe6\xbc\xa2\xcc\x81\xcc\x88";
    assert_int_equal(check_units(stacked, sizeof stacked - 1, "stacked"), 1);
    assert_int_equal(text_width(stacked, sizeof stacked - 1), 2);

    /* A mark with nothing printable before it would land on whatever was drawn last. */
    assert_string_equal(RENDER("\xcc\x81" "a"), "<U+0301>a");
    assert_string_equal(RENDER("\n\xcc\x81"), " <U+0301>");
    assert_string_equal(RENDER("\x1b\xcc\x81"), "^[<U+0301>");
    assert_string_equal(RENDER("\x80\xcc\x81"), "\xef\xbf\xbd<U+0301>");

    /* "Zalgo": s[] stays bounded; marks that do not fit are shown, not dropped. */
    char zalgo[1 + 2 * 40 + 1];
    zalgo[0] = 'a';
    for (int i = 0; i < 40; i++)
        memcpy(zalgo + 1 + 2 * i, "\xcc\x81", 2);
    zalgo[sizeof zalgo - 1] = '\0';
    text_iter_init(&it, zalgo, sizeof zalgo - 1);
    assert_int_equal(text_next(&it, &u), 1);
    assert_int_equal(u.kind, TEXT_PLAIN);
    assert_int_equal(u.width, 1);
    assert_true(strlen(u.s) < sizeof u.s);
    size_t attached = (u.src_len - 1) / 2;
    assert_true(attached >= 5);
    int escaped = 0;
    while (text_next(&it, &u)) {
        assert_string_equal(u.s, "<U+0301>");
        escaped++;
    }
    assert_int_equal((size_t)escaped + attached, 40);
    check_units(zalgo, sizeof zalgo - 1, "zalgo");
    check_clip_safe(zalgo, sizeof zalgo - 1, "zalgo");
}

static void test_clip_at_wide_boundary(void **state)
{
    (void)state;
    const char s[] = "ab\xe6\xbc\xa2\xe5\xad\x97";   /* ab漢字: 6 columns */
    char out[64];
    size_t n = sizeof s - 1;
    assert_int_equal(text_clip(s, n, 6, 1, out, sizeof out), 6);
    assert_string_equal(out, s);                        /* fits exactly: no ellipsis */
    assert_int_equal(text_clip(s, n, 5, 0, out, sizeof out), 4);
    assert_string_equal(out, "ab\xe6\xbc\xa2");         /* 字 would straddle the limit */
    assert_int_equal(text_clip(s, n, 5, 1, out, sizeof out), 5);
    assert_string_equal(out, "ab\xe6\xbc\xa2\xe2\x80\xa6");
    assert_int_equal(text_clip(s, n, 4, 1, out, sizeof out), 3);
    assert_string_equal(out, "ab\xe2\x80\xa6");         /* 漢 fits, but then … would not */
    assert_int_equal(text_clip(s, n, 4, 0, out, sizeof out), 4);
    assert_string_equal(out, "ab\xe6\xbc\xa2");
    assert_int_equal(text_clip(s, n, 3, 0, out, sizeof out), 2);
    assert_string_equal(out, "ab");
    assert_int_equal(text_clip(s, n, 1, 1, out, sizeof out), 1);
    assert_string_equal(out, "\xe2\x80\xa6");
    assert_int_equal(text_clip(s, n, 0, 1, out, sizeof out), 0);
    assert_string_equal(out, "");
    /* A wide character alone in one column: nothing fits. */
    assert_int_equal(text_clip("\xe6\xbc\xa2", 3, 1, 0, out, sizeof out), 0);
    assert_string_equal(out, "");
    /* Placeholders are clipped whole, never cut into "<U+20". */
    assert_int_equal(text_clip("ab\xe2\x80\xaexyz", 8, 5, 0, out, sizeof out), 2);
    assert_string_equal(out, "ab");
    /* A small output buffer clips too, still NUL-terminated and safe. */
    char tiny[5];
    int used = text_clip("abcdefgh", 8, 80, 1, tiny, sizeof tiny);
    assert_true(strlen(tiny) < sizeof tiny);
    assert_int_equal(text_width(tiny, strlen(tiny)), (size_t)used);
    assert_int_equal(text_clip("abcdefgh", 8, 80, 0, tiny, sizeof tiny), 4);
    assert_string_equal(tiny, "abcd");
}

static void test_tabs_and_newlines(void **state)
{
    (void)state;
    const char s[] = "a\tb\r\nc\nd\re";
    static const struct { enum text_kind kind; const char *s; size_t off, len; } want[] = {
        {TEXT_PLAIN, "a", 0, 1},   {TEXT_TAB, "", 1, 1},     {TEXT_PLAIN, "b", 2, 1},
        {TEXT_NEWLINE, "", 3, 2},  {TEXT_PLAIN, "c", 5, 1},  {TEXT_NEWLINE, "", 6, 1},
        {TEXT_PLAIN, "d", 7, 1},   {TEXT_ESCAPED, "^M", 8, 1}, {TEXT_PLAIN, "e", 9, 1},
    };
    text_iter it;
    text_unit u;
    text_iter_init(&it, s, sizeof s - 1);
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        assert_int_equal(text_next(&it, &u), 1);
        assert_int_equal(u.kind, want[i].kind);
        assert_string_equal(u.s, want[i].s);
        assert_int_equal(u.src_off, want[i].off);
        assert_int_equal(u.src_len, want[i].len);
    }
    assert_int_equal(text_next(&it, &u), 0);
    assert_string_equal(RENDER("a\tb\r\nc\nd\re"), "a b c d^Me");
    assert_int_equal(text_width(s, sizeof s - 1), 10);
    /* A CR at the very end is lone. */
    assert_string_equal(RENDER("x\r"), "x^M");
}

static void test_empty(void **state)
{
    (void)state;
    text_iter it;
    text_unit u;
    char out[8] = "junk";
    text_iter_init(&it, "", 0);
    assert_int_equal(text_next(&it, &u), 0);
    text_iter_init(&it, NULL, 0);
    assert_int_equal(text_next(&it, &u), 0);
    assert_int_equal(text_width("", 0), 0);
    assert_int_equal(text_width(NULL, 0), 0);
    assert_int_equal(text_clip("", 0, 10, 1, out, sizeof out), 0);
    assert_string_equal(out, "");
    assert_int_equal(text_clip(NULL, 0, 10, 1, out, sizeof out), 0);
    assert_string_equal(out, "");
}

/* ---- fuzz: random bytes and random mixes of nasty pieces ---- */

static uint64_t rng_state = 0x9E3779B97F4A7C15ull;
static uint64_t rng(void)
{
    /* xorshift64*: fixed seed, so a failure reproduces. */
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 0x2545F4914F6CDD1Dull;
}

static void test_fuzz_safety(void **state)
{
    (void)state;
    static const char *const pieces[] = {
        "\x1b", "[", "]", "\x07", "\r", "\n", "\t", "\x7f", "\xc2\x9b", "\xc2\x90", "\xc2\x9c",
        "\xe2\x80\xae", "\xe2\x81\xa6", "\xe2\x80\x8b", "\xe2\x80\x8d", "\xef\xbb\xbf", "\xc2\xad",
        "\xcc\x81", "\xe6\xbc\xa2", "\xf0\x9f\x98\x80", "\xf0\x9f\x87\xba", "\xd7\xa9", "a", " ",
        "\xed\xa0\x80", "\xf4\x90", "\xe0\x80", "\xc0", "\xff", "\xf3\xa0\x81\xa1", "\xe2\x80\xa8",
    };
    const size_t npieces = sizeof pieces / sizeof pieces[0];
    unsigned char buf[96];
    char out[400];
    for (long iter = 0; iter < 200000; iter++) {
        size_t len = 0, want = rng() % 64;
        if (iter & 1) {
            /* Raw random bytes, biased toward the interesting ones. */
            for (; len < want; len++) {
                uint64_t r = rng();
                switch (r % 4) {
                case 0: buf[len] = (unsigned char)(r >> 8); break;                 /* any byte */
                case 1: buf[len] = (unsigned char)(0x80 | ((r >> 8) & 0x3F)); break; /* continuation */
                case 2: buf[len] = (unsigned char)(0xC0 | ((r >> 8) & 0x3F)); break; /* leads */
                default: buf[len] = (unsigned char)((r >> 8) & 0x3F); break;        /* controls, ASCII */
                }
            }
        } else {
            while (len < want) {
                const char *p = pieces[rng() % npieces];
                size_t pl = strlen(p);
                if (len + pl > sizeof buf)
                    break;
                memcpy(buf + len, p, pl);
                len += pl;
            }
        }
        const char *src = (const char *)buf;
        text_iter it;
        text_unit u;
        size_t at = 0, cols = 0;
        text_iter_init(&it, src, len);
        while (text_next(&it, &u)) {
            if (u.src_off != at || u.src_len == 0)
                fail_msg("units do not tile the source at iteration %ld", iter);
            at += u.src_len;
            assert_safe(u.s, "fuzz unit");
            cols += (u.kind == TEXT_NEWLINE || u.kind == TEXT_TAB) ? 1 : (size_t)u.width;
        }
        assert_int_equal(at, len);
        assert_int_equal(text_width(src, len), cols);
        int max = (int)(rng() % 48);
        int ell = (int)(iter & 2) != 0;
        int used = text_clip(src, len, max, ell, out, sizeof out);
        assert_safe(out, "fuzz clip");
        assert_true(used >= 0 && used <= max);
        assert_int_equal(text_width(out, strlen(out)), (size_t)used);
        if (cols <= (size_t)max)
            assert_int_equal((size_t)used, cols);   /* nothing clipped when it fits */
    }
}

int main(void)
{
    /* wcwidth needs a UTF-8 locale; the program itself calls setlocale(LC_ALL, ""). */
    if (!setlocale(LC_ALL, "C.UTF-8")) {
        fputs("test_text: the C.UTF-8 locale is missing\n", stderr);
        return 1;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hostile_samples),
        cmocka_unit_test(test_escape_units),
        cmocka_unit_test(test_invalid_utf8),
        cmocka_unit_test(test_wide_characters),
        cmocka_unit_test(test_combining_marks),
        cmocka_unit_test(test_clip_at_wide_boundary),
        cmocka_unit_test(test_tabs_and_newlines),
        cmocka_unit_test(test_empty),
        cmocka_unit_test(test_fuzz_safety),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
