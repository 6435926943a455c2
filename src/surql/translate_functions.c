/*-------------------------------------------------------------------------
 *
 * translate_functions.c
 *	  The dialect's functions (string::len(), math::abs(), ...) as SQL.
 *
 * One table: each function's dialect name, how many arguments it takes,
 * the type of its result and an SQL template over the jsonb values of its
 * arguments: one line adds one function (a template that needs more than
 * an expression calls a helper of 40_stdlib.sql).  In a template, %1 ...
 * %9 stand for the arguments (an optional one not given is NONE; so a
 * function that takes more than nine uses %* alone) and %* for
 * the text of each (a string as itself, null as SQL NULL, anything else
 * as its JSON text), separated by commas.  An argument that is NONE (SQL
 * NULL, a missing field) or JSON null reaches the template as SQL NULL,
 * and the templates are strict, so such an argument makes the result NONE
 * (string::concat() skips it instead).  A template names each argument
 * once, outside any subquery (a subquery's work is in a helper function
 * of 40_functions.sql), so a GROUP BY key may be an argument.
 *
 * count(), math::sum/mean/min/max() and vector::distance::knn() are
 * translated by translate_expr.c (they depend on grouping and on the
 * statement); they are here too so that a call with the wrong number of
 * arguments says so.  search::score/highlight/offsets() never reach here
 * (translate_search.c).  A name that is not in the table is an
 * undefined function (42883), and so is a call with the wrong number of
 * arguments.
 *
 * IDENTIFICATION
 *	  src/surql/translate_functions.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "catalog/pg_collation.h"
#include "fmgr.h"
#include "utils/builtins.h"
#include "utils/json.h"
#include "utils/jsonb.h"

#include "surql/translate.h"

PG_FUNCTION_INFO_V1(dllb_surql_expect);
PG_FUNCTION_INFO_V1(dllb_surql_contains);

typedef struct SurqlFunction
{
	const char *name;			/* as written in the dialect */
	int			min_args;
	int			max_args;		/* -1: any number */
	const char *result;			/* the type of its value */
	const char *types;			/* per argument: s string, n number, a array,
								 * ? any (the last letter repeats) */
	const char *sql;			/* template; NULL: translated elsewhere, or
								 * not yet */
} SurqlFunction;

/* the text of a jsonb value: a string as itself, other values as JSON */
#define TXT(a) "(" a ") #>> '{}'"
/* a jsonb array as a dllb.vector */
#define VEC(a) "((" a ")::text)::dllb.vector"

static const SurqlFunction functions[] = {
	/* strings */
	{"string::lowercase", 1, 1, "string", "s", "to_jsonb(lower(" TXT("%1") "))"},
	{"string::uppercase", 1, 1, "string", "s", "to_jsonb(upper(" TXT("%1") "))"},
	{"string::len", 1, 1, "int", "s", "to_jsonb(char_length(" TXT("%1") "))"},
	{"string::concat", 0, -1, "string", "?", "to_jsonb(concat('', %*))"},
	{"string::contains", 2, 2, "bool", "ss",
	"to_jsonb(strpos(" TXT("%1") ", " TXT("%2") ") > 0)"},
	{"string::matches", 2, 2, "bool", "ss", "dllb.surql_s_matches(%1, %2)"},
	{"string::starts_with", 2, 2, "bool", "ss",
	"to_jsonb(starts_with(" TXT("%1") ", " TXT("%2") "))"},

	/* arrays */
	{"array::len", 1, 1, "int", "a", "to_jsonb(jsonb_array_length(%1))"},
	{"array::any", 1, 2, "bool", "a?", "dllb.surql_a_some(%1, %2, false)"},
	{"array::all", 1, 2, "bool", "a?", "dllb.surql_a_some(%1, %2, true)"},
	{"array::distinct", 1, 1, "array", "a", "dllb.surql_array_distinct(%1)"},
	{"array::flatten", 1, 1, "array", "a", "dllb.surql_array_flatten(%1)"},

	/* numbers */
	{"math::abs", 1, 1, "number", "n", "dllb.surql_m_abs(%1)"},
	{"math::round", 1, 1, "number", "n", "to_jsonb(round((%1)::numeric))"},
	{"math::sum", 1, 1, "number", "?", NULL},
	{"math::mean", 1, 1, "number", "?", NULL},
	{"math::min", 1, 1, "number", "?", NULL},
	{"math::max", 1, 1, "number", "?", NULL},
	{"count", 0, 1, "int", "?", NULL},

	/* conversions */
	{"type::string", 1, 1, "string", "?", "to_jsonb(" TXT("%1") ")"},
	{"type::int", 1, 1, "int", "?", "to_jsonb(trunc((" TXT("%1") ")::numeric)::bigint)"},
	{"type::float", 1, 1, "float", "?", "to_jsonb((" TXT("%1") ")::double precision)"},
	{"type::thing", 2, 2, "record", "s?",
	"to_jsonb(dllb.record(" TXT("%1") ", %2)::text)"},
	{"type::record", 1, 2, "record", "s?",
	"dllb.surql_type_record(%1, %2)"},

	/* vectors */
	{"vector::similarity::cosine", 2, 2, "float", "a",
	"to_jsonb(1 - dllb.cosine_distance(" VEC("%1") ", " VEC("%2") "))"},
	{"vector::distance::euclidean", 2, 2, "float", "a",
	"to_jsonb(dllb.l2_distance(" VEC("%1") ", " VEC("%2") "))"},
	{"vector::distance::knn", 0, 0, "float", "?", NULL},

	/* time */
	{"time::now", 0, 0, "datetime", "?", "dllb.surql_datetime(now())"},
	{"time::year", 1, 1, "int", "s", "to_jsonb(extract(year FROM (" TXT("%1") ")::timestamptz)::int)"},
	{"time::month", 1, 1, "int", "s", "to_jsonb(extract(month FROM (" TXT("%1") ")::timestamptz)::int)"},
	{"time::day", 1, 1, "int", "s", "to_jsonb(extract(day FROM (" TXT("%1") ")::timestamptz)::int)"},
	{"time::hour", 1, 1, "int", "s", "to_jsonb(extract(hour FROM (" TXT("%1") ")::timestamptz)::int)"},
	{"time::minute", 1, 1, "int", "s", "to_jsonb(extract(minute FROM (" TXT("%1") ")::timestamptz)::int)"},
	{"time::unix", 1, 1, "int", "s", "to_jsonb(extract(epoch FROM (" TXT("%1") ")::timestamptz)::bigint)"},

	/* more strings */
	{"string::capitalize", 1, 1, "string", "s", "dllb.surql_s_capitalize(%1)"},
	{"string::html::encode", 1, 1, "string", "s", "dllb.surql_s_html_encode(%1)"},
	{"string::reverse", 1, 1, "string", "s", "to_jsonb(reverse(" TXT("%1") "))"},
	{"string::trim", 1, 1, "string", "s", "to_jsonb(btrim(" TXT("%1") "))"},
	{"string::ends_with", 2, 2, "bool", "ss", "to_jsonb(right(" TXT("%1") ", char_length(" TXT("%2") ")) = " TXT("%2") ")"},
	{"string::repeat", 2, 2, "string", "sn", "to_jsonb(repeat(" TXT("%1") ", (%2)::numeric::int))"},
	{"string::replace", 3, 3, "string", "sss", "to_jsonb(replace(" TXT("%1") ", " TXT("%2") ", " TXT("%3") "))"},
	{"string::split", 2, 2, "array", "ss", "dllb.surql_s_split(%1, %2)"},
	{"string::words", 1, 1, "array", "s", "to_jsonb(regexp_split_to_array(btrim(" TXT("%1") "), '\\s+'))"},
	{"string::join", 1, -1, "string", "s", "to_jsonb(concat_ws(%*))"},
	{"string::slice", 1, 3, "string", "snn", "dllb.surql_s_slice(%1, %2, %3)"},
	{"string::is::alpha", 1, 1, "bool", "s", "to_jsonb(" TXT("%1") " ~ '^[[:alpha:]]+$')"},
	{"string::is_alpha", 1, 1, "bool", "s", "to_jsonb(" TXT("%1") " ~ '^[[:alpha:]]+$')"},
	{"string::is::alphanum", 1, 1, "bool", "s", "to_jsonb(" TXT("%1") " ~ '^[[:alnum:]]+$')"},
	{"string::is_alphanum", 1, 1, "bool", "s", "to_jsonb(" TXT("%1") " ~ '^[[:alnum:]]+$')"},
	{"string::is::ascii", 1, 1, "bool", "s", "to_jsonb(" TXT("%1") " ~ '^[\\x01-\\x7f]+$')"},
	{"string::is_ascii", 1, 1, "bool", "s", "to_jsonb(" TXT("%1") " ~ '^[\\x01-\\x7f]+$')"},
	{"string::is::numeric", 1, 1, "bool", "s", "to_jsonb(" TXT("%1") " ~ '^[0-9]+$')"},
	{"string::is_numeric", 1, 1, "bool", "s", "to_jsonb(" TXT("%1") " ~ '^[0-9]+$')"},
	{"string::is::hexadecimal", 1, 1, "bool", "s", "to_jsonb(" TXT("%1") " ~ '^[0-9a-fA-F]+$')"},
	{"string::is_hexadecimal", 1, 1, "bool", "s", "to_jsonb(" TXT("%1") " ~ '^[0-9a-fA-F]+$')"},
	{"string::is::email", 1, 1, "bool", "s", "dllb.surql_s_is('email', %1)"},
	{"string::is_email", 1, 1, "bool", "s", "dllb.surql_s_is('email', %1)"},
	{"string::is::domain", 1, 1, "bool", "s", "dllb.surql_s_is('domain', %1)"},
	{"string::is_domain", 1, 1, "bool", "s", "dllb.surql_s_is('domain', %1)"},
	{"string::is::ip", 1, 1, "bool", "s", "dllb.surql_s_is('ip', %1)"},
	{"string::is_ip", 1, 1, "bool", "s", "dllb.surql_s_is('ip', %1)"},
	{"string::is::ipv4", 1, 1, "bool", "s", "dllb.surql_s_is('ipv4', %1)"},
	{"string::is_ipv4", 1, 1, "bool", "s", "dllb.surql_s_is('ipv4', %1)"},
	{"string::is::ipv6", 1, 1, "bool", "s", "dllb.surql_s_is('ipv6', %1)"},
	{"string::is_ipv6", 1, 1, "bool", "s", "dllb.surql_s_is('ipv6', %1)"},
	{"string::is::latitude", 1, 1, "bool", "s", "dllb.surql_s_is('latitude', %1)"},
	{"string::is_latitude", 1, 1, "bool", "s", "dllb.surql_s_is('latitude', %1)"},
	{"string::is::longitude", 1, 1, "bool", "s", "dllb.surql_s_is('longitude', %1)"},
	{"string::is_longitude", 1, 1, "bool", "s", "dllb.surql_s_is('longitude', %1)"},
	{"string::is::semver", 1, 1, "bool", "s", "dllb.surql_s_is('semver', %1)"},
	{"string::is_semver", 1, 1, "bool", "s", "dllb.surql_s_is('semver', %1)"},
	{"string::is::uuid", 1, 1, "bool", "s", "to_jsonb(" TXT("%1") " ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$')"},
	{"string::is_uuid", 1, 1, "bool", "s", "to_jsonb(" TXT("%1") " ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$')"},

	/* more arrays */
	{"array::first", 1, 1, "any", "a", "(%1) -> 0"},
	{"array::last", 1, 1, "any", "a", "(%1) -> -1"},
	{"array::at", 2, 2, "any", "an", "dllb.surql_a_at(%1, %2)"},
	{"array::slice", 1, 3, "array", "ann", "dllb.surql_a_slice_end(%1, %2, %3)"},
	{"array::join", 2, 2, "string", "as", "dllb.surql_a_join(%1, %2)"},
	{"array::group", 1, 1, "array", "a", "dllb.surql_a_group(%1)"},
	{"array::add", 2, 2, "array", "a?", "dllb.surql_a_add(%1, %2)"},
	{"array::append", 2, 2, "array", "a?", "(%1) || jsonb_build_array(coalesce(%2, 'null'::jsonb))"},
	{"array::push", 2, 2, "array", "a?", "(%1) || jsonb_build_array(coalesce(%2, 'null'::jsonb))"},
	{"array::prepend", 2, 2, "array", "a?", "jsonb_build_array(coalesce(%2, 'null'::jsonb)) || (%1)"},
	{"array::concat", 0, -1, "array", "a", "dllb.surql_array_flatten(jsonb_build_array(%*j))"},
	{"array::insert", 2, 3, "array", "a?n", "dllb.surql_a_insert(%1, %2, %3)"},
	{"array::remove", 2, 2, "array", "an", "dllb.surql_a_remove(%1, %2)"},
	{"array::pop", 1, 1, "any", "a", "(%1) -> -1"},
	{"array::union", 2, 2, "array", "aa", "dllb.surql_a_union(%1, %2)"},
	{"array::intersect", 2, 2, "array", "aa", "dllb.surql_a_intersect(%1, %2)"},
	{"array::complement", 2, 2, "array", "aa", "dllb.surql_a_complement(%1, %2)"},
	{"array::difference", 2, 2, "array", "aa", "dllb.surql_a_difference(%1, %2)"},
	{"array::sort", 1, 2, "array", "a?", "dllb.surql_a_sort(%1, %2)"},
	{"array::sort::asc", 1, 1, "array", "a", "dllb.surql_a_sort(%1, NULL)"},
	{"array::sort::desc", 1, 1, "array", "a", "dllb.surql_a_sort(%1, 'false')"},
	{"array::sort_natural", 1, 2, "array", "a?", "dllb.surql_a_sort_by(%1, %2, false, true)"},
	{"array::sort_lexical", 1, 2, "array", "a?", "dllb.surql_a_sort_by(%1, %2, true, false)"},
	{"array::sort_natural_lexical", 1, 2, "array", "a?", "dllb.surql_a_sort_by(%1, %2, true, true)"},
	{"array::reverse", 1, 1, "array", "a", "dllb.surql_a_reverse(%1)"},
	{"array::min", 1, 1, "any", "a", "dllb.surql_a_minmax(%1, false)"},
	{"array::max", 1, 1, "any", "a", "dllb.surql_a_minmax(%1, true)"},
	{"array::windows", 2, 2, "array", "an", "dllb.surql_a_windows(%1, %2)"},
	{"array::clump", 2, 2, "array", "an", "dllb.surql_a_clump(%1, %2)"},
	{"array::combine", 2, 2, "array", "aa", "dllb.surql_a_combine(%1, %2)"},
	{"array::transpose", 1, 1, "array", "a", "dllb.surql_a_transpose(%1)"},
	{"array::sequence", 1, 2, "array", "nn", "dllb.surql_a_sequence(%1, %2)"},
	{"array::range", 1, 2, "array", "nn", "dllb.surql_range_array(%1, %2, false, false)"},
	{"array::repeat", 2, 2, "array", "?n", "dllb.surql_a_repeat(%1, %2)"},
	{"array::swap", 3, 3, "array", "ann", "dllb.surql_a_swap(%1, %2, %3)"},
	{"array::fill", 2, 4, "array", "a?nn", "dllb.surql_a_fill(%1, %2, %3, %4)"},
	{"array::matches", 2, 2, "array", "a?", "dllb.surql_a_matches(%1, %2)"},
	{"array::shuffle", 1, 1, "array", "a", "dllb.surql_a_shuffle(%1)"},
	{"array::is_empty", 1, 1, "bool", "a", "to_jsonb(jsonb_array_length(%1) = 0)"},
	{"array::boolean_and", 2, 2, "array", "aa", "dllb.surql_a_bool(%1, %2, 'and')"},
	{"array::boolean_or", 2, 2, "array", "aa", "dllb.surql_a_bool(%1, %2, 'or')"},
	{"array::boolean_xor", 2, 2, "array", "aa", "dllb.surql_a_bool(%1, %2, 'xor')"},
	{"array::boolean_not", 1, 1, "array", "a", "dllb.surql_a_not(%1)"},
	{"array::logical_and", 2, 2, "array", "aa", "dllb.surql_a_logical(%1, %2, 'and')"},
	{"array::logical_or", 2, 2, "array", "aa", "dllb.surql_a_logical(%1, %2, 'or')"},
	{"array::logical_xor", 2, 2, "array", "aa", "dllb.surql_a_logical(%1, %2, 'xor')"},

	/* more numbers (floats keep a fraction: dllb.surql_num) */
	{"math::ceil", 1, 1, "number", "n", "to_jsonb(ceil((%1)::numeric))"},
	{"math::floor", 1, 1, "number", "n", "to_jsonb(floor((%1)::numeric))"},
	{"math::sqrt", 1, 1, "float", "n", "dllb.surql_m_float('sqrt', %1, NULL::jsonb)"},
	{"math::pow", 2, 2, "number", "nn", "dllb.surql_arith('**', %1, %2)"},
	{"math::ln", 1, 1, "float", "n", "dllb.surql_m_float('ln', %1, NULL::jsonb)"},
	{"math::log2", 1, 1, "float", "n", "dllb.surql_m_float('log2', %1, NULL::jsonb)"},
	{"math::log10", 1, 1, "float", "n", "dllb.surql_m_float('log10', %1, NULL::jsonb)"},
	{"math::log", 2, 2, "float", "nn", "dllb.surql_m_float('log', %1, %2)"},
	{"math::sin", 1, 1, "float", "n", "dllb.surql_num(sin((%1)::numeric::float8))"},
	{"math::cos", 1, 1, "float", "n", "dllb.surql_num(cos((%1)::numeric::float8))"},
	{"math::tan", 1, 1, "float", "n", "dllb.surql_num(tan((%1)::numeric::float8))"},
	{"math::cot", 1, 1, "float", "n", "dllb.surql_num(cot((%1)::numeric::float8))"},
	{"math::asin", 1, 1, "float", "n", "dllb.surql_m_float('asin', %1, NULL::jsonb)"},
	{"math::acos", 1, 1, "float", "n", "dllb.surql_m_float('acos', %1, NULL::jsonb)"},
	{"math::atan", 1, 1, "float", "n", "dllb.surql_num(atan((%1)::numeric::float8))"},
	{"math::acot", 1, 1, "float", "n", "dllb.surql_num(atan(1 / (%1)::numeric::float8))"},
	{"math::sign", 1, 1, "int", "?", "dllb.surql_m_sign(%1)"},
	{"math::deg2rad", 1, 1, "float", "n", "dllb.surql_num(radians((%1)::numeric::float8))"},
	{"math::rad2deg", 1, 1, "float", "n", "dllb.surql_num(degrees((%1)::numeric::float8))"},
	{"math::fixed", 2, 2, "number", "nn", "dllb.surql_m_fixed(%1, %2)"},
	{"math::clamp", 3, 3, "number", "nnn", "dllb.surql_m_clamp(%1, %2, %3)"},
	{"math::lerp", 3, 3, "float", "nnn", "dllb.surql_m_lerp(%1, %2, %3)"},
	{"math::lerpangle", 3, 3, "float", "nnn", "dllb.surql_m_lerpangle(%1, %2, %3)"},
	{"math::median", 1, 1, "number", "a", "dllb.surql_m_stat(%1, 'median', NULL)"},
	{"math::mode", 1, 1, "number", "a", "dllb.surql_m_stat(%1, 'mode', NULL)"},
	{"math::product", 1, 1, "number", "a", "dllb.surql_m_stat(%1, 'product', NULL)"},
	{"math::variance", 1, 1, "float", "a", "dllb.surql_m_stat(%1, 'variance', NULL)"},
	{"math::stddev", 1, 1, "float", "a", "dllb.surql_m_stat(%1, 'stddev', NULL)"},
	{"math::spread", 1, 1, "number", "a", "dllb.surql_m_stat(%1, 'spread', NULL)"},
	{"math::interquartile", 1, 1, "float", "a", "dllb.surql_m_stat(%1, 'interquartile', NULL)"},
	{"math::midhinge", 1, 1, "float", "a", "dllb.surql_m_stat(%1, 'midhinge', NULL)"},
	{"math::trimean", 1, 1, "float", "a", "dllb.surql_m_stat(%1, 'trimean', NULL)"},
	{"math::percentile", 2, 2, "float", "an", "dllb.surql_m_stat(%1, 'percentile', %2)"},
	{"math::nearestrank", 2, 2, "number", "an", "dllb.surql_m_stat(%1, 'nearestrank', %2)"},
	{"math::top", 2, 2, "array", "an", "dllb.surql_m_heap(%1, %2, true)"},
	{"math::bottom", 2, 2, "array", "an", "dllb.surql_m_heap(%1, %2, false)"},
	{"math::pi", 0, 0, "float", "?", "'3.141592653589793'::jsonb"},
	{"math::tau", 0, 0, "float", "?", "'6.283185307179586'::jsonb"},
	{"math::e", 0, 0, "float", "?", "'2.718281828459045'::jsonb"},
	{"math::sqrt_2", 0, 0, "float", "?", "'1.4142135623730951'::jsonb"},
	{"math::ln_2", 0, 0, "float", "?", "'0.6931471805599453'::jsonb"},
	{"math::ln_10", 0, 0, "float", "?", "'2.302585092994046'::jsonb"},
	{"math::inf", 0, 0, "float", "?", "'\"Infinity\"'::jsonb"},
	{"math::neg_inf", 0, 0, "float", "?", "'\"-Infinity\"'::jsonb"},
	{"math::log10_2", 0, 0, "float", "?", "'0.3010299956639812'::jsonb"},
	{"math::log10_e", 0, 0, "float", "?", "'0.4342944819032518'::jsonb"},
	{"math::log2_10", 0, 0, "float", "?", "'3.321928094887362'::jsonb"},
	{"math::log2_e", 0, 0, "float", "?", "'1.4426950408889634'::jsonb"},
	{"math::frac_1_pi", 0, 0, "float", "?", "'0.3183098861837907'::jsonb"},
	{"math::frac_1_sqrt_2", 0, 0, "float", "?", "'0.7071067811865476'::jsonb"},
	{"math::frac_2_pi", 0, 0, "float", "?", "'0.6366197723675814'::jsonb"},
	{"math::frac_2_sqrt_pi", 0, 0, "float", "?", "'1.1283791670955126'::jsonb"},
	{"math::frac_pi_2", 0, 0, "float", "?", "'1.5707963267948966'::jsonb"},
	{"math::frac_pi_3", 0, 0, "float", "?", "'1.0471975511965979'::jsonb"},
	{"math::frac_pi_4", 0, 0, "float", "?", "'0.7853981633974483'::jsonb"},
	{"math::frac_pi_6", 0, 0, "float", "?", "'0.5235987755982989'::jsonb"},
	{"math::frac_pi_8", 0, 0, "float", "?", "'0.39269908169872414'::jsonb"},
	{"math::infinity", 0, 0, "float", "?", "'\"Infinity\"'::jsonb"},
	{"math::neg_infinity", 0, 0, "float", "?", "'\"-Infinity\"'::jsonb"},

	/* more conversions and types */
	{"type::of", 1, 1, "string", "?", "dllb.surql_type_of(%1)"},
	{"type::table", 1, 1, "table", "s", "to_jsonb(" TXT("%1") ")"},
	{"record::id", 1, 1, "any", "s", "dllb.key((" TXT("%1") ")::dllb.record)"},
	{"record::tb", 1, 1, "string", "s", "to_jsonb(dllb.tb((" TXT("%1") ")::dllb.record))"},
	{"type::bool", 1, 1, "bool", "?", "dllb.surql_cast('bool', %1)"},
	{"type::number", 1, 1, "number", "?", "dllb.surql_cast('number', %1)"},
	{"type::decimal", 1, 1, "decimal", "?", "dllb.surql_cast('decimal', %1)"},
	{"type::array", 1, 1, "array", "?", "CASE WHEN jsonb_typeof(%1) = 'array' THEN %1 ELSE jsonb_build_array(%1) END"},
	{"type::datetime", 1, 1, "datetime", "?", "dllb.surql_cast('datetime', %1)"},
	{"type::is::string", 1, 1, "bool", "?", "to_jsonb(coalesce(jsonb_typeof(%1) = 'string', false))"},
	{"type::is_string", 1, 1, "bool", "?", "to_jsonb(coalesce(jsonb_typeof(%1) = 'string', false))"},
	{"type::is::number", 1, 1, "bool", "?", "to_jsonb(coalesce(jsonb_typeof(%1) = 'number', false))"},
	{"type::is_number", 1, 1, "bool", "?", "to_jsonb(coalesce(jsonb_typeof(%1) = 'number', false))"},
	{"type::is::bool", 1, 1, "bool", "?", "to_jsonb(coalesce(jsonb_typeof(%1) = 'boolean', false))"},
	{"type::is_bool", 1, 1, "bool", "?", "to_jsonb(coalesce(jsonb_typeof(%1) = 'boolean', false))"},
	{"type::is::array", 1, 1, "bool", "?", "to_jsonb(coalesce(jsonb_typeof(%1) = 'array', false))"},
	{"type::is_array", 1, 1, "bool", "?", "to_jsonb(coalesce(jsonb_typeof(%1) = 'array', false))"},
	{"type::is::object", 1, 1, "bool", "?", "to_jsonb(coalesce(jsonb_typeof(%1) = 'object', false))"},
	{"type::is_object", 1, 1, "bool", "?", "to_jsonb(coalesce(jsonb_typeof(%1) = 'object', false))"},
	{"type::is::int", 1, 1, "bool", "?", "to_jsonb(coalesce(dllb.surql_type_of(%1) = '\"int\"', false))"},
	{"type::is_int", 1, 1, "bool", "?", "to_jsonb(coalesce(dllb.surql_type_of(%1) = '\"int\"', false))"},
	{"type::is::uuid", 1, 1, "bool", "?", "dllb.surql_is_uuid(%1)"},
	{"type::is_uuid", 1, 1, "bool", "?", "dllb.surql_is_uuid(%1)"},
	{"type::field", 1, 1, "any", "?", NULL},
	{"type::fields", 1, 1, "array", "?", NULL},
	{"type::is::float", 1, 1, "bool", "?", "to_jsonb(coalesce(dllb.surql_type_of(%1) = '\"float\"', false))"},
	{"type::is_float", 1, 1, "bool", "?", "to_jsonb(coalesce(dllb.surql_type_of(%1) = '\"float\"', false))"},
	/* types a jsonb value cannot show: true only when the expression's form says so */
	{"type::is::datetime", 1, 1, "bool", "?", "dllb.surql_type_is_known(%1, NULL::text, 'datetime')"},
	{"type::is_datetime", 1, 1, "bool", "?", "dllb.surql_type_is_known(%1, NULL::text, 'datetime')"},
	{"type::is::duration", 1, 1, "bool", "?", "dllb.surql_type_is_known(%1, NULL::text, 'duration')"},
	{"type::is_duration", 1, 1, "bool", "?", "dllb.surql_type_is_known(%1, NULL::text, 'duration')"},
	{"type::is::set", 1, 1, "bool", "?", "dllb.surql_type_is_known(%1, NULL::text, 'set')"},
	{"type::is_set", 1, 1, "bool", "?", "dllb.surql_type_is_known(%1, NULL::text, 'set')"},
	{"type::is::decimal", 1, 1, "bool", "?", "dllb.surql_type_is_known(%1, NULL::text, 'decimal')"},
	{"type::is_decimal", 1, 1, "bool", "?", "dllb.surql_type_is_known(%1, NULL::text, 'decimal')"},
	{"type::is::none", 1, 1, "bool", "?", "to_jsonb(%1 IS NULL)"},
	{"type::is_none", 1, 1, "bool", "?", "to_jsonb(%1 IS NULL)"},
	{"type::is::null", 1, 1, "bool", "?", "to_jsonb(coalesce(%1 = 'null', false))"},
	{"type::is_null", 1, 1, "bool", "?", "to_jsonb(coalesce(%1 = 'null', false))"},
	{"type::is::geometry", 1, 1, "bool", "?", "to_jsonb(coalesce(dllb.surql_type_of(%1) #>> '{}' LIKE 'geometry<%', false))"},
	{"type::is_geometry", 1, 1, "bool", "?", "to_jsonb(coalesce(dllb.surql_type_of(%1) #>> '{}' LIKE 'geometry<%', false))"},
	{"type::is::point", 1, 1, "bool", "?", "dllb.surql_type_is_known(%1, NULL::text, 'point')"},
	{"type::is_point", 1, 1, "bool", "?", "dllb.surql_type_is_known(%1, NULL::text, 'point')"},
	{"type::is::line", 1, 1, "bool", "?", "dllb.surql_type_is_known(%1, NULL::text, 'line')"},
	{"type::is_line", 1, 1, "bool", "?", "dllb.surql_type_is_known(%1, NULL::text, 'line')"},
	{"type::is::polygon", 1, 1, "bool", "?", "dllb.surql_type_is_known(%1, NULL::text, 'polygon')"},
	{"type::is_polygon", 1, 1, "bool", "?", "dllb.surql_type_is_known(%1, NULL::text, 'polygon')"},
	{"type::is::multipoint", 1, 1, "bool", "?", "dllb.surql_type_is_known(%1, NULL::text, 'multipoint')"},
	{"type::is_multipoint", 1, 1, "bool", "?", "dllb.surql_type_is_known(%1, NULL::text, 'multipoint')"},
	{"type::is::multiline", 1, 1, "bool", "?", "dllb.surql_type_is_known(%1, NULL::text, 'multiline')"},
	{"type::is_multiline", 1, 1, "bool", "?", "dllb.surql_type_is_known(%1, NULL::text, 'multiline')"},
	{"type::is::multipolygon", 1, 1, "bool", "?", "dllb.surql_type_is_known(%1, NULL::text, 'multipolygon')"},
	{"type::is_multipolygon", 1, 1, "bool", "?", "dllb.surql_type_is_known(%1, NULL::text, 'multipolygon')"},
	{"type::is::collection", 1, 1, "bool", "?", "dllb.surql_type_is_known(%1, NULL::text, 'collection')"},
	{"type::is_collection", 1, 1, "bool", "?", "dllb.surql_type_is_known(%1, NULL::text, 'collection')"},
	{"type::is::record", 1, 1, "bool", "?", "dllb.surql_type_is_known(%1, NULL::text, 'record')"},
	{"type::is_record", 1, 1, "bool", "?", "dllb.surql_type_is_known(%1, NULL::text, 'record')"},
	{"type::is::regex", 1, 1, "bool", "?", "dllb.surql_type_is_known(%1, NULL::text, 'regex')"},
	{"type::is_regex", 1, 1, "bool", "?", "dllb.surql_type_is_known(%1, NULL::text, 'regex')"},
	{"type::is::range", 1, 1, "bool", "?", "dllb.surql_type_is_known(%1, NULL::text, 'range')"},
	{"type::is_range", 1, 1, "bool", "?", "dllb.surql_type_is_known(%1, NULL::text, 'range')"},
	{"type::is::bytes", 1, 1, "bool", "?", "dllb.surql_type_is_known(%1, NULL::text, 'bytes')"},
	{"type::is_bytes", 1, 1, "bool", "?", "dllb.surql_type_is_known(%1, NULL::text, 'bytes')"},
	{"type::set", 1, 1, "set", "?", "dllb.surql_set(CASE WHEN jsonb_typeof(%1) = 'array' THEN %1 ELSE jsonb_build_array(%1) END)"},

	/* objects */
	{"object::entries", 1, 1, "array", "o", "dllb.surql_o_entries(%1)"},
	{"object::from_entries", 1, 1, "object", "a", "dllb.surql_o_from_entries(%1)"},
	{"object::keys", 1, 1, "array", "o", "dllb.surql_o_keys(%1)"},
	{"object::values", 1, 1, "array", "o", "dllb.surql_o_values(%1)"},
	{"object::len", 1, 1, "int", "o", "to_jsonb((SELECT count(*) FROM jsonb_object_keys(%1)))"},
	{"object::is_empty", 1, 1, "bool", "o", "to_jsonb((%1) = '{}'::jsonb)"},
	{"object::extend", 2, 2, "object", "oo", "(%1) || (%2)"},
	{"object::remove", 2, 2, "object", "o?", "dllb.surql_o_remove(%1, %2)"},

	/* random values */
	{"rand", 0, 0, "float", "?", "dllb.surql_num(random())"},
	{"rand::float", 0, 2, "float", "nn", "dllb.surql_num(coalesce((%1)::numeric::float8, 0) + random() * (coalesce((%2)::numeric::float8, 1) - coalesce((%1)::numeric::float8, 0)))"},
	{"rand::int", 0, 2, "int", "nn", "dllb.surql_rand_int(%1, %2)"},
	{"rand::bool", 0, 0, "bool", "?", "to_jsonb(random() < 0.5)"},
	{"rand::time", 0, 2, "datetime", "?", "dllb.surql_rand_time(%1, %2)"},
	{"rand::uuid", 0, 0, "uuid", "?", "to_jsonb(gen_random_uuid()::text)"},
	{"rand::uuid::v4", 0, 0, "uuid", "?", "to_jsonb(gen_random_uuid()::text)"},
	{"rand::uuid::v7", 0, 0, "uuid", "?", "dllb.surql_uuid_v7()"},
	{"rand::string", 0, 2, "string", "nn", "dllb.surql_rand_text('rand::string', 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789', 32, %1, %2)"},
	{"rand::ulid", 0, 1, "string", "s", "dllb.surql_ulid(%1)"},
	{"rand::id", 0, 2, "string", "nn", "dllb.surql_rand_text('rand::id', 'abcdefghijklmnopqrstuvwxyz0123456789', 20, %1, %2)"},
	{"rand::enum", 1, -1, "any", "?", "dllb.surql_rand_enum(jsonb_build_array(%*j))"},
};

static const SurqlFunction *
find_function(const char *name)
{
	int			i;

	for (i = 0; i < lengthof(functions); i++)
		if (strcmp(functions[i].name, name) == 0)
			return &functions[i];
	return NULL;
}

/* dllb_surql_function_exists - whether the dialect has function name */
bool
dllb_surql_function_exists(const char *name)
{
	return find_function(name) != NULL;
}

/*
 * static_type - the dialect's type name of expression n when its form
 * alone says it (a literal, a cast, a function with one result type), for
 * the types a jsonb value cannot tell apart from a string, an array or a
 * number: datetime, duration, uuid, record, set, regex, range, decimal,
 * bytes, table, function.  NULL otherwise: type::of() then reads the value
 * at run time, where such a value stored in a field reads as the string
 * or array it is stored as (doc/dialect.md, "What stays different").
 */
static const char *
static_type(const SurqlNode *n)
{
	static const char *const kept[] = {"datetime", "duration", "uuid", "record", "set",
	"regex", "range", "decimal", "bytes", "table"};
	const char *t = NULL;
	int			i;

	switch (n->kind)
	{
		case SN_DURATION:
			return "duration";
		case SN_DATETIME:
			return "datetime";
		case SN_REGEX:
			return "regex";
		case SN_RECORD:
			return "record";
		case SN_SET:
			return "set";
		case SN_RANGE:
			return "range";
		case SN_CLOSURE:
			return "function";
		case SN_STRING:
			return n->flag ? "uuid" : NULL;
		case SN_FLOAT:
			i = strlen(n->str);
			return i > 3 && strcmp(n->str + i - 3, "dec") == 0 ? "decimal" : NULL;
		case SN_CAST:
			t = n->str;
			break;
		case SN_CALL:
			{
				const SurqlFunction *f = find_function(n->str);

				if (f == NULL)
					return NULL;
				t = f->result;
				break;
			}
		default:
			return NULL;
	}
	/* record<t>, set<int>: the type's name before its parameters */
	for (i = 0; i < lengthof(kept); i++)
		if (strncmp(t, kept[i], strlen(kept[i])) == 0 &&
			(t[strlen(kept[i])] == '\0' || t[strlen(kept[i])] == '<'))
			return kept[i];
	return NULL;
}

static char *
arity_text(const SurqlFunction *f)
{
	if (f->max_args < 0)
		return psprintf("at least %d argument%s", f->min_args, f->min_args == 1 ? "" : "s");
	if (f->min_args == f->max_args && f->min_args == 0)
		return pstrdup("no arguments");
	if (f->min_args == f->max_args)
		return psprintf("%d argument%s", f->min_args, f->min_args == 1 ? "" : "s");
	if (f->max_args == f->min_args + 1)
		return psprintf("%d or %d arguments", f->min_args, f->max_args);
	return psprintf("%d to %d arguments", f->min_args, f->max_args);
}

static const char *
type_name(char t)
{
	switch (t)
	{
		case 's':
			return "string";
		case 'n':
			return "number";
		case 'a':
			return "array";
		case 'o':
			return "object";
		case 'b':
			return "bool";
		default:
			return NULL;
	}
}

/*
 * arg_value - the SQL of argument i (0-based) of a call of f, json: its
 * null as SQL NULL, checked to be of the argument's type
 */
static void
arg_value(StringInfo sql, const SurqlFunction *f, int i, const char *json)
{
	size_t		ntypes = strlen(f->types);
	const char *want = type_name(f->types[(size_t) i < ntypes ? (size_t) i : ntypes - 1]);

	if (want)
		appendStringInfo(sql, "dllb.surql_expect(nullif(%s, 'null'::jsonb), '%s', '%s', %d)",
						 json, want, f->name, i + 1);
	else
		appendStringInfo(sql, "nullif(%s, 'null'::jsonb)", json);
}

/*
 * dllb.surql_expect(v jsonb, type text, fn text, arg int) returns jsonb -
 * v when it is a JSON value of that type (string, number, array), else a
 * type mismatch that names the function and the argument.  Strict: NONE
 * stays NONE.
 */
Datum
dllb_surql_expect(PG_FUNCTION_ARGS)
{
	Jsonb	   *v = PG_GETARG_JSONB_P(0);
	char	   *want = text_to_cstring(PG_GETARG_TEXT_PP(1));
	const char *have;

	if (JB_ROOT_IS_SCALAR(v))
	{
		JsonbValue	sc;

		if (!JsonbExtractScalar(&v->root, &sc))
			elog(ERROR, "invalid jsonb scalar");
		have = sc.type == jbvString ? "string" : sc.type == jbvNumeric ? "number" :
			sc.type == jbvBool ? "bool" : "null";
	}
	else
		have = JB_ROOT_IS_ARRAY(v) ? "array" : "object";
	if (strcmp(have, want) != 0)
		ereport(ERROR,
				(errcode(ERRCODE_DATATYPE_MISMATCH),
				 errmsg("argument %d of function %s() must be %s %s, not %s %s",
						PG_GETARG_INT32(3), text_to_cstring(PG_GETARG_TEXT_PP(2)),
						want[0] == 'a' ? "an" : "a", want,
						have[0] == 'a' || have[0] == 'o' ? "an" : "a", have)));
	PG_RETURN_JSONB_P(v);
}

/*
 * dllb.surql_contains(a jsonb, b jsonb) returns boolean - the dialect's a
 * CONTAINS b: when both are strings, whether b is a substring of a; an
 * object and a string, whether the object has that key (an object and
 * anything else: false); otherwise jsonb containment (an array holds the
 * element).
 */
Datum
dllb_surql_contains(PG_FUNCTION_ARGS)
{
	Jsonb	   *a = PG_GETARG_JSONB_P(0);
	Jsonb	   *b = PG_GETARG_JSONB_P(1);

	if (JB_ROOT_IS_OBJECT(a) && JB_ROOT_IS_SCALAR(b))
	{
		JsonbValue	bv;

		/* an object contains a string when it has that key ('a' IN {a: 1}) */
		if (JsonbExtractScalar(&b->root, &bv) && bv.type == jbvString)
			PG_RETURN_BOOL(getKeyJsonValueFromContainer(&a->root, bv.val.string.val,
														bv.val.string.len, NULL) != NULL);
		PG_RETURN_BOOL(false);
	}
	if (JB_ROOT_IS_SCALAR(a) && JB_ROOT_IS_SCALAR(b))
	{
		JsonbValue	av;
		JsonbValue	bv;

		if (JsonbExtractScalar(&a->root, &av) && JsonbExtractScalar(&b->root, &bv) &&
			av.type == jbvString && bv.type == jbvString)
		{
			text	   *at = cstring_to_text_with_len(av.val.string.val, av.val.string.len);
			text	   *bt = cstring_to_text_with_len(bv.val.string.val, bv.val.string.len);

			PG_RETURN_BOOL(DatumGetInt32(DirectFunctionCall2Coll(textpos, C_COLLATION_OID,
																 PointerGetDatum(at),
																 PointerGetDatum(bt))) > 0);
		}
	}
	PG_RETURN_DATUM(DirectFunctionCall2(jsonb_contains, PointerGetDatum(a), PointerGetDatum(b)));
}

/*
 * dllb_surql_function_sql - append to sql the jsonb SQL of call n (an
 * SN_CALL), translating each argument with arg_sql (which returns its
 * jsonb SQL text without leaving it in sql).  An unknown function, or a
 * call with the wrong number of arguments, is an error.
 */
void
dllb_surql_function_sql(const SurqlNode *n, StringInfo sql, SurqlArgSql arg_sql, void *cx)
{
	const SurqlFunction *f = find_function(n->str);
	char	  **args;
	const char *c;
	const char *st;				/* the type the first argument's form says */
	int			i;

	if (strncmp(n->str, "fn::", 4) == 0)
	{
		/* a DEFINE FUNCTION function (translate_udf.c) */
		dllb_surql_udf_call_sql(n, sql, arg_sql, cx);
		return;
	}
	if (f == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_FUNCTION),
				 errmsg("unknown function %s()", n->str),
				 errhint("dllb.query's functions are listed in doc/dialect.md.")));
	if (n->nitems < f->min_args || (f->max_args >= 0 && n->nitems > f->max_args))
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_FUNCTION),
				 errmsg("function %s() takes %s, not %d", n->str, arity_text(f), n->nitems)));
	if (f->sql == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("function %s() is not supported by dllb.query yet", n->str)));

	if ((strcmp(f->name, "type::record") == 0 || strcmp(f->name, "type::thing") == 0) &&
		n->nitems == 2 && n->items[1]->kind == SN_RECORD && !n->items[1]->flag)
	{
		/* type::record('t', t:k): the record itself, when it is one of t */
		char	   *tb = arg_sql(n->items[0], cx);
		char	   *rec = arg_sql(n->items[1], cx);

		appendStringInfo(sql, "dllb.surql_record_of_table(%s, %s, '%s')", tb, rec, f->name);
		return;
	}
	st = n->nitems == 1 ? static_type(n->items[0]) : NULL;
	if (n->nitems == 1 && (strcmp(f->name, "type::of") == 0 ||
						   strncmp(f->name, "type::is_", 9) == 0 ||
						   strncmp(f->name, "type::is::", 10) == 0) &&
		(strstr(f->name, "uuid") == NULL || st != NULL))
	{
		/*
		 * type::of(v), type::is_x(v): the type the expression's form says
		 * (d'...', rand::uuid()) or else the value's, NONE and NULL as
		 * themselves (type::is_uuid(v) of any other form: whether v's text
		 * is a uuid's, the template)
		 */
		/* closures and ranges are not values dllb.query holds: their type */
		char	   *v = (n->items[0]->kind == SN_CLOSURE || n->items[0]->kind == SN_RANGE) ? pstrdup("'{}'::jsonb") :
			arg_sql(n->items[0], cx);
		char	   *known = st ? psprintf("'%s'::text", st) : pstrdup("NULL::text");

		if (strcmp(f->name, "type::of") == 0)
			appendStringInfo(sql, "dllb.surql_type_of_known(%s, %s)", v, known);
		else
			appendStringInfo(sql, "dllb.surql_type_is_known(%s, %s, '%s')", v, known,
							 f->name + (f->name[8] == '_' ? 9 : 10));
		return;
	}
	if (strcmp(f->name, "string::replace") == 0 && n->nitems == 3 && n->items[1]->kind == SN_REGEX)
	{
		/* string::replace(s, /re/, r): every match of the regex replaced */
		char	   *s = arg_sql(n->items[0], cx);
		char	   *r = arg_sql(n->items[2], cx);

		appendStringInfoString(sql, "dllb.surql_s_replace_re(");
		arg_value(sql, f, 0, s);
		appendStringInfo(sql, ", %s, ", quote_literal_cstr(n->items[1]->str));
		arg_value(sql, f, 2, r);
		appendStringInfoChar(sql, ')');
		return;
	}
	if (strcmp(f->name, "array::range") == 0 && n->nitems == 1 && n->items[0]->kind == SN_RANGE)
	{
		/* array::range(a..b): the integers of the range */
		const SurqlNode *r = n->items[0];
		char	   *lo = arg_sql(r->a, cx);
		char	   *hi = r->b ? arg_sql(r->b, cx) : pstrdup("NULL::jsonb");

		appendStringInfo(sql, "dllb.surql_range_array(%s, %s, %s, %s)", lo, hi,
						 r->flag ? "true" : "false", r->ival ? "true" : "false");
		return;
	}

	/*
	 * every argument first: arg_sql uses the end of sql as scratch; a regex
	 * /re/ given to string::matches() is its pattern
	 */
	args = palloc(sizeof(char *) * (n->nitems + 1));
	for (i = 0; i < n->nitems; i++)
	{
		if (n->items[i]->kind == SN_REGEX && strcmp(f->name, "string::matches") == 0)
		{
			StringInfoData json;

			initStringInfo(&json);
			escape_json(&json, n->items[i]->str);
			args[i] = psprintf("%s::jsonb", quote_literal_cstr(json.data));
		}
		else
			args[i] = arg_sql(n->items[i], cx);
	}

	for (c = f->sql; *c; c++)
	{
		if (c[0] == '%' && c[1] >= '1' && c[1] <= '9')
		{
			i = *++c - '1';
			/* an optional argument not given is NONE */
			if (i >= n->nitems)
				appendStringInfoString(sql, "NULL::jsonb");
			else
				arg_value(sql, f, i, args[i]);
		}
		else if (c[0] == '%' && c[1] == '*' && c[2] == 'j')
		{
			/* %*j: each argument as jsonb */
			c += 2;
			for (i = 0; i < n->nitems; i++)
			{
				if (i > 0)
					appendStringInfoString(sql, ", ");
				arg_value(sql, f, i, args[i]);
			}
		}
		else if (c[0] == '%' && c[1] == '*')
		{
			c++;
			for (i = 0; i < n->nitems; i++)
				appendStringInfo(sql, "%s(%s) #>> '{}'", i > 0 ? ", " : "", args[i]);
			if (n->nitems == 0)
				appendStringInfoString(sql, "NULL");
		}
		else
			appendStringInfoChar(sql, *c);
	}
}
