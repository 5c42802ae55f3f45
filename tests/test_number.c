/*
 * tests/test_number.c - util/number.c: every number form a user might type
 * is either read as exactly the decimal value written or refused, with
 * overflow reported as out of range (never wrapped), and the option
 * messages state the accepted range.  Also: the parameter tables'
 * defaults all parse and lie in their own ranges (util/params.c checks
 * them at validation; this names the row that breaks).
 */
#include <math.h>
#include <string.h>

#include "check.h"
#include "util/number.h"
#include "util/params.h"
#include "collectors/collector.h"
#include "workloads/workload.h"

static void ints(void)
{
    int64_t v = -1;
    CHECK(gcb_parse_int("0", &v) == 0 && v == 0);
    CHECK(gcb_parse_int("10", &v) == 0 && v == 10);
    CHECK(gcb_parse_int("-7", &v) == 0 && v == -7);
    CHECK(gcb_parse_int("+7", &v) == 0 && v == 7);
    CHECK(gcb_parse_int("3k", &v) == 0 && v == 3000);
    CHECK(gcb_parse_int("3K", &v) == 0 && v == 3000);
    CHECK(gcb_parse_int("2M", &v) == 0 && v == 2000000);
    CHECK(gcb_parse_int("5G", &v) == 0 && v == 5000000000);
    CHECK(gcb_parse_int("9223372036854775807", &v) == 0 && v == INT64_MAX);
    CHECK(gcb_parse_int("-9223372036854775808", &v) == 0 && v == INT64_MIN);
    /* not decimal, or not a number at all */
    static const char *const syntax[] = {
        "", " 1", "1 ", "0x10", "010", "00", "08", "1.5", "1e3", "k", "-", "+", "--1", "1kk",
        "1m", "1g", "1T", "nan", "inf", "1,000", "\t5", "5\n", "0b1", "1_000",
    };
    for (size_t i = 0; i < sizeof syntax / sizeof *syntax; i++) {
        v = 42;
        int rc = gcb_parse_int(syntax[i], &v);
        if (rc != GCB_NUM_SYNTAX)
            fprintf(stderr, "int '%s' -> %d\n", syntax[i], rc);
        CHECK(rc == GCB_NUM_SYNTAX);
        CHECK(v == 42); /* untouched on failure */
    }
    /* overflow: refused as out of range, never wrapped (issue 10 item 4) */
    static const char *const range[] = {
        "9223372036854775808", "-9223372036854775809", "18446744073709552k",
        "-9223372036854775807G", "9223372036854776k", "99999999999999999999999",
    };
    for (size_t i = 0; i < sizeof range / sizeof *range; i++) {
        int rc = gcb_parse_int(range[i], &v);
        if (rc != GCB_NUM_RANGE)
            fprintf(stderr, "int '%s' -> %d\n", range[i], rc);
        CHECK(rc == GCB_NUM_RANGE);
    }
    CHECK(gcb_parse_int_range("5", 1, 10, &v) == 0 && v == 5);
    CHECK(gcb_parse_int_range("0", 1, 10, &v) == GCB_NUM_RANGE);
    CHECK(gcb_parse_int_range("11", 1, 10, &v) == GCB_NUM_RANGE);
    CHECK(gcb_parse_int_range("0x5", 1, 10, &v) == GCB_NUM_SYNTAX);
}

static void reals(void)
{
    double d = -1;
    CHECK(gcb_parse_double("0", &d) == 0 && d == 0);
    CHECK(gcb_parse_double("0.5", &d) == 0 && d == 0.5);
    CHECK(gcb_parse_double(".5", &d) == 0 && d == 0.5);
    CHECK(gcb_parse_double("5.", &d) == 0 && d == 5);
    CHECK(gcb_parse_double("-2.5e3", &d) == 0 && d == -2500);
    CHECK(gcb_parse_double("1E-2", &d) == 0 && d == 0.01);
    CHECK(gcb_parse_double("+3", &d) == 0 && d == 3);
    static const char *const syntax[] = {
        "", ".", "e5", "1e", "1e+", "0x10", "0x1p3", "nan", "NAN", "inf", "-inf", "infinity",
        " 1", "1 ", "1,5", "1.5.2", "--1", "1k", "5%", "1e5x",
    };
    for (size_t i = 0; i < sizeof syntax / sizeof *syntax; i++) {
        d = 42;
        int rc = gcb_parse_double(syntax[i], &d);
        if (rc != GCB_NUM_SYNTAX)
            fprintf(stderr, "real '%s' -> %d\n", syntax[i], rc);
        CHECK(rc == GCB_NUM_SYNTAX);
        CHECK(d == 42);
    }
    CHECK(gcb_parse_double("1e999", &d) == GCB_NUM_RANGE);
    CHECK(gcb_parse_double("-1e999", &d) == GCB_NUM_RANGE);
    CHECK(gcb_parse_double_range("0.5", 0, 1, &d) == 0);
    CHECK(gcb_parse_double_range("1.5", 0, 1, &d) == GCB_NUM_RANGE);
}

static void sizes(void)
{
    uint64_t b = 0;
    CHECK(gcb_parse_size("0", &b) == 0 && b == 0);
    CHECK(gcb_parse_size("4096", &b) == 0 && b == 4096);
    CHECK(gcb_parse_size("1k", &b) == 0 && b == 1024);
    CHECK(gcb_parse_size("512M", &b) == 0 && b == 512ull << 20);
    CHECK(gcb_parse_size("512MiB", &b) == 0 && b == 512ull << 20);
    CHECK(gcb_parse_size("512MB", &b) == 0 && b == 512ull << 20);
    CHECK(gcb_parse_size("1.5G", &b) == 0 && b == 3ull << 29);
    CHECK(gcb_parse_size("2T", &b) == 0 && b == 2ull << 40);
    CHECK(gcb_parse_size("100B", &b) == 0 && b == 100);
    CHECK(gcb_parse_size("15E", &b) == GCB_NUM_SYNTAX);
    static const char *const syntax[] = {
        "", "-1", "-1M", "nan", "inf", "0x10", "0x1p20", "1 G", " 1G", "1Q", "1GB5", "1iB", "G",
    };
    for (size_t i = 0; i < sizeof syntax / sizeof *syntax; i++) {
        int rc = gcb_parse_size(syntax[i], &b);
        if (rc != GCB_NUM_SYNTAX)
            fprintf(stderr, "size '%s' -> %d\n", syntax[i], rc);
        CHECK(rc == GCB_NUM_SYNTAX);
    }
    CHECK(gcb_parse_size("1e19", &b) == 0 && b == 10000000000000000000ull);
    CHECK(gcb_parse_size("1e20", &b) == GCB_NUM_RANGE);
    CHECK(gcb_parse_size("16777216T", &b) == GCB_NUM_RANGE);
    CHECK(gcb_parse_size("1e400", &b) == GCB_NUM_RANGE);
    CHECK(gcb_parse_size_range("1e19", 1 << 20, 1ull << 50, &b) == GCB_NUM_RANGE);
}

/* Every option message states the range it accepts. */
static void messages(void)
{
    char err[512];
    int64_t v;
    double d;
    uint64_t b;
    CHECK(gcb_opt_int("--reps", "0x10", 1, 100000, &v, err, sizeof err) == -1);
    CHECK(strstr(err, "--reps '0x10'") && strstr(err, "from 1 to 100000"));
    CHECK(gcb_opt_double("--timeout", "nan", 0.001, 1e6, &d, err, sizeof err) == -1);
    CHECK(strstr(err, "--timeout 'nan'") && strstr(err, "from 0.001 to 1000000"));
    CHECK(gcb_opt_size("--mem-limit", "1e19", 1 << 20, 1ull << 50, &b, err, sizeof err) == -1);
    CHECK(strstr(err, "--mem-limit '1e19'") && strstr(err, "from 1M to 1024T"));
    CHECK(gcb_opt_int("--reps", "7", 1, 100000, &v, err, sizeof err) == 0 && v == 7);
    char t[32];
    CHECK(strcmp(gcb_size_text(1536, t, sizeof t), "1536") == 0);
    CHECK(strcmp(gcb_size_text(3ull << 30, t, sizeof t), "3G") == 0);
}

/* A parameter table's defaults: each parses as its type and lies in its
 * own range (a choice among its choices). */
static void check_table(const char *owner, const gcb_param_def_t *t)
{
    for (; t && t->name; t++) {
        int ok = 1;
        if (t->type == GCB_PARAM_INT) {
            int64_t v;
            ok = gcb_parse_int(t->def, &v) == 0 && (double)v >= t->min && (double)v <= t->max;
        } else if (t->type == GCB_PARAM_DOUBLE) {
            double v;
            ok = gcb_parse_double(t->def, &v) == 0 && v >= t->min && v <= t->max;
        } else {
            ok = t->def && gcb_param_choice_ok(t->choices, t->def);
        }
        if (!ok)
            fprintf(stderr, "%s: default %s=%s is not valid for its own row\n", owner, t->name,
                    t->def ? t->def : "(null)");
        CHECK(ok);
    }
}

static void defaults(void)
{
    for (size_t i = 0; i < gcb_collector_count; i++)
        check_table(gcb_collectors[i]->name, gcb_collectors[i]->params);
    for (size_t i = 0; i < gcb_workload_count; i++)
        check_table(gcb_workloads[i]->name, gcb_workloads[i]->params);
}

/* A user value out of range, and an int param given an octal-looking or
 * overflowing text, are refused by the table check with the range. */
static void params(void)
{
    static const gcb_param_def_t table[] = {
        { "every", GCB_PARAM_INT, "10", 1, 1e6, "" },
        { "scale", GCB_PARAM_DOUBLE, "1", 0.001, 100, "" },
        GCB_PARAM_END
    };
    const gcb_param_def_t *const tables[] = { table, NULL };
    static const char *const bad[] = {
        "every=010", "every=0x10", "every=18446744073709552k", "every=-9223372036854775807G",
        "scale=0x10", "scale=nan", "scale=inf", "scale=1e400", "every=0",
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        gcb_params_t p = { 0 };
        char err[512] = "";
        CHECK(gcb_params_add(&p, bad[i], err, sizeof err) == 0);
        CHECK(gcb_params_validate(&p, tables, err, sizeof err) == -1);
        CHECK(strstr(err, " from ") && strstr(err, " to "));
    }
    gcb_params_t p = { 0 };
    char err[512];
    CHECK(gcb_params_add(&p, "every=2k", err, sizeof err) == 0);
    CHECK(gcb_params_validate(&p, tables, err, sizeof err) == 0);
    CHECK(gcb_param_int(&p, table, "every") == 2000);
    /* a broken default is caught at validation, not by an abort later */
    static const gcb_param_def_t broken[] = {
        { "every", GCB_PARAM_INT, "0x10", 1, 1e6, "" },
        GCB_PARAM_END
    };
    const gcb_param_def_t *const btables[] = { broken, NULL };
    gcb_params_t none = { 0 };
    CHECK(gcb_params_validate(&none, btables, err, sizeof err) == -1);
}

int main(void)
{
    ints();
    reals();
    sizes();
    messages();
    defaults();
    params();
    return gcb_check_exit("test_number");
}
