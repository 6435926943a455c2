-- dllb.query: the edges of the standard library (translate_functions.c,
-- 45_stdlib.sql): results outside a function's domain, arguments it
-- refuses, and the less common functions and methods.

-- NaN and the infinities are the JSON strings "NaN", "Infinity" and
-- "-Infinity": a root of a negative number, an arc sine out of -1..1,
-- a logarithm of a negative number or of zero
SELECT * FROM dllb.query($$RETURN [math::sqrt(-4), math::sqrt(9), math::asin(1.5), math::acos(-3),
  math::acos(1), math::ln(-2), math::ln(0), math::log2(0), math::log10(-0.5), math::log10(1000),
  math::log(0, 2), math::log(-8, 2), math::log(8, 2)]$$);
-- the statistics of an empty array, and a percentile outside 0..100
SELECT * FROM dllb.query($$RETURN [math::mean([]), math::max([]), math::min([]), math::sum([]),
  math::variance([]), math::variance([4]), math::stddev([]), math::spread([]), math::mode([]),
  math::interquartile([]), math::midhinge([]), math::trimean([]), math::nearestrank([], 50),
  math::percentile([], 50), math::percentile([1, 2, 3], -5), math::percentile([1, 2, 3], 150),
  math::median([]), math::product([])]$$);
-- NONE stays NONE
SELECT * FROM dllb.query($$RETURN [math::mean(NONE), math::max(NONE), math::sqrt(NONE), math::variance(NONE)]$$);
-- the constants, compared and cast
SELECT * FROM dllb.query($$RETURN [math::inf, math::neg_inf, math::max([]) == math::neg_inf,
  math::min([]) == math::inf, <string> math::mean([]), math::log10(0) == math::neg_inf]$$);
