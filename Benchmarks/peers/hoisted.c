/* The strongest simple PCRE2 peer for whole-word keyword intents: every intent's pattern
   `\b(?:ALTS)\b` hoisted into ONE JIT-compiled pattern that writes the shared word-boundary
   frame once, `\b(?:(*MARK:0)(?:ALTS0)|(*MARK:1)(?:ALTS1)|...)\b`, the mark naming the intent.
   A pattern too large to compile is split into as few chunks as compile (greedy, each chunk
   as many intents as still compile); a message tries the chunks in order.
   Usage: hoisted patterns.txt messages.txt [mark-after]
   "mark-after" writes the mark at the end of each branch instead, `(?:ALTS0)(*MARK:0)`, which
   keeps PCRE2's start-character optimization; both are printed by Benchmarks/run.py.
   Output: one JSON line like ../shared/bench/c_floor/floor.c (best of three passes over
   the messages in memory). */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/resource.h>

static double now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec + t.tv_nsec / 1e9; }

typedef struct { char id[16]; char *alts; } Intent;

static char *build(Intent *in, int from, int to, int mark_after) {
  size_t len = 16;
  for (int i = from; i < to; i++) len += strlen(in[i].alts) + 48;
  char *p = malloc(len), *w = p;
  w += sprintf(w, "\\b(?:");
  for (int i = from; i < to; i++) {
    if (mark_after) w += sprintf(w, "%s(?:%s)(*MARK:%s)", i > from ? "|" : "", in[i].alts, in[i].id);
    else w += sprintf(w, "%s(*MARK:%s)(?:%s)", i > from ? "|" : "", in[i].id, in[i].alts);
  }
  sprintf(w, ")\\b");
  return p;
}

static pcre2_code *compile(Intent *in, int from, int to, int mark_after) {
  char *p = build(in, from, to, mark_after);
  int err; PCRE2_SIZE off;
  pcre2_code *re = pcre2_compile((PCRE2_SPTR)p, PCRE2_ZERO_TERMINATED, PCRE2_UTF | PCRE2_UCP | PCRE2_CASELESS, &err, &off, NULL);
  free(p);
  if (re && pcre2_jit_compile(re, PCRE2_JIT_COMPLETE) != 0) { pcre2_code_free(re); re = NULL; }
  return re;
}

int main(int argc, char **argv) {
  if (argc < 3) { fprintf(stderr, "usage: hoisted patterns.txt messages.txt [mark-after]\n"); return 2; }
  int mark_after = argc > 3 && !strcmp(argv[3], "mark-after");
  FILE *pf = fopen(argv[1], "r"), *mf = fopen(argv[2], "r");
  if (!pf || !mf) { perror("open"); return 2; }
  int cap = 1024, n = 0; Intent *in = malloc(sizeof(Intent) * cap);
  char *line = NULL; size_t ln = 0; ssize_t r;
  double t0 = now();
  while ((r = getline(&line, &ln, pf)) > 0) {
    if (line[r - 1] == '\n') line[--r] = 0;
    char *tab = strchr(line, '\t'); if (!tab) continue; *tab = 0;
    char *pat = tab + 1; size_t pl = strlen(pat);
    /* Each pattern is \b(?:ALTS)\b: keep ALTS, the frame is written once. */
    if (pl < 10 || strncmp(pat, "\\b(?:", 5) || strcmp(pat + pl - 3, ")\\b")) { fprintf(stderr, "not a \\b(?:...)\\b pattern: %s\n", pat); return 2; }
    if (n == cap) { cap *= 2; in = realloc(in, sizeof(Intent) * cap); }
    strncpy(in[n].id, line, 15); in[n].id[15] = 0;
    in[n].alts = strndup(pat + 5, pl - 8);
    n++;
  }
  /* Greedy chunks: the largest prefix of the remaining intents that compiles (binary search). */
  int chunks_cap = 64, chunks = 0; pcre2_code **res = malloc(sizeof(pcre2_code *) * chunks_cap);
  for (int from = 0; from < n;) {
    pcre2_code *whole = compile(in, from, n, mark_after);
    int to = n;
    if (!whole) {
      int lo = from + 1, hi = n - 1; /* lo is assumed to compile */
      while (lo < hi) { int mid = (lo + hi + 1) / 2; pcre2_code *t = compile(in, from, mid, mark_after); if (t) { pcre2_code_free(t); lo = mid; } else hi = mid - 1; }
      to = lo;
      whole = compile(in, from, to, mark_after);
      if (!whole) { fprintf(stderr, "intent %s alone does not compile\n", in[from].id); return 2; }
    }
    if (chunks == chunks_cap) { chunks_cap *= 2; res = realloc(res, sizeof(pcre2_code *) * chunks_cap); }
    res[chunks++] = whole;
    from = to;
  }
  double load = now() - t0;
  int mcap = 1 << 15, m = 0; char **msgs = malloc(sizeof(char *) * mcap), **exp = malloc(sizeof(char *) * mcap);
  size_t *lens = malloc(sizeof(size_t) * mcap);
  while ((r = getline(&line, &ln, mf)) > 0) {
    if (line[r - 1] == '\n') line[--r] = 0;
    char *tab = strchr(line, '\t'); if (!tab) continue; *tab = 0;
    if (m == mcap) { mcap *= 2; msgs = realloc(msgs, sizeof(char *) * mcap); exp = realloc(exp, sizeof(char *) * mcap); lens = realloc(lens, sizeof(size_t) * mcap); }
    exp[m] = strdup(line); msgs[m] = strdup(tab + 1); lens[m] = strlen(msgs[m]); m++;
  }
  pcre2_match_data *md = pcre2_match_data_create(4, NULL);
  double best = 1e9; int correct = 0;
  for (int rep = 0; rep < 3; rep++) {
    correct = 0; double t1 = now();
    for (int i = 0; i < m; i++) {
      const char *got = "-";
      for (int c = 0; c < chunks; c++)
        if (pcre2_jit_match(res[c], (PCRE2_SPTR)msgs[i], lens[i], 0, 0, md, NULL) >= 0) {
          PCRE2_SPTR mk = pcre2_get_mark(md); if (mk) got = (const char *)mk;
          break;
        }
      if (!strcmp(got, exp[i])) correct++;
    }
    double dt = now() - t1; if (dt < best) best = dt;
  }
  struct rusage ru; getrusage(RUSAGE_SELF, &ru);
  printf("{\"engine\": \"c-pcre2-jit-hoisted%s\", \"messages\": %d, \"chunks\": %d, \"load_s\": %.3f, \"msgs_per_s\": %.1f, \"accuracy\": %.4f, \"rss_mib\": %.1f}\n",
         mark_after ? "-mark-after" : "", m, chunks, load, m / best, (double)correct / m, ru.ru_maxrss / 1024.0);
  return 0;
}
