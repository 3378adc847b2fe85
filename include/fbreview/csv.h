#ifndef FBREVIEW_CSV_H
#define FBREVIEW_CSV_H
/* An RFC 4180 CSV writer: comma separated, CRLF after every record, a field quoted when it
 * holds a comma, a quote, CR or LF, quotes inside doubled. Buffered (64 KiB), streaming to
 * a FILE*: memory does not grow with the rows written. Bytes are written as given (the
 * store holds UTF-8).
 *
 * Formula neutralisation: a spreadsheet runs a cell that starts with '=', '+', '-', '@',
 * TAB or CR as a formula ("=HYPERLINK(...)" in a rationale is an attack on whoever opens
 * the export). Such a cell gets a leading "'" unless the writer is raw. It applies to text
 * cells only (csv_text): numbers and times we format ourselves go through csv_plain or
 * csv_int, where "-5" must stay the number -5. */

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

typedef struct csv_writer csv_writer;

/* out stays the caller's (never closed here). raw=1 turns neutralisation off. */
csv_writer *csv_new(FILE *out, int raw);
/* Flushes nothing: call csv_flush first to learn whether the last bytes were written. */
void csv_free(csv_writer **w);

/* One cell each, in column order; a record ends with csv_end_row. */
void csv_text(csv_writer *w, const char *s, size_t len);   /* untrusted text: neutralised */
void csv_plain(csv_writer *w, const char *s, size_t len);  /* our own text (header, times) */
void csv_int(csv_writer *w, int64_t v);
void csv_empty(csv_writer *w);                             /* NULL: an empty cell */
void csv_end_row(csv_writer *w);

/* Writes the buffer out and fflushes the FILE. 0 on success, else the errno of the
 * first write that failed (also remembered: later calls keep failing). */
int csv_flush(csv_writer *w);
/* The errno of the first failed write, 0 if none so far. */
int csv_error(const csv_writer *w);

#endif
