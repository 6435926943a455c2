-- dllb.highlight and dllb.offsets: matches marked with the analyzer's
-- lexemes (stemming, prefixes, identifiers), fragments, offsets.

SELECT dllb.highlight('The quick brown foxes jumped over the lazy dog', 'fox jump', 'english');
SELECT dllb.highlight('The quick brown foxes jumped over the lazy dog', '+quick -cat dog', 'english', '[', ']');
SELECT dllb.highlight('The quick brown foxes jumped', 'qu* "brown fox"', 'english');
SELECT dllb.highlight('Call parseHttpRequest(req) then http_get', 'http', 'dllb.code', '<<', '>>');
SELECT dllb.highlight('Call parseHttpRequest(req) then http_get', 'parsehttprequest', 'dllb.code', '<<', '>>');
SELECT dllb.highlight('well-known facts about the well', 'well', 'english');
SELECT dllb.highlight('nothing here', 'absent', 'simple');

-- fragment mode: the best window of N words
SELECT dllb.highlight('one two three four five six seven eight nine ten eleven twelve apple pie and apple cake thirteen fourteen',
                      'apple', 'simple', '<b>', '</b>', 6);
SELECT dllb.highlight('apple first then many many words after it', 'apple', 'simple', '<b>', '</b>', 3);

-- offsets are in characters
SELECT dllb.offsets('Größe der Fox-Häuser: fox', 'fox', 'simple');
SELECT dllb.offsets('parseHttpRequest', 'request', 'dllb.code');
SELECT dllb.offsets('nothing', 'absent', 'simple');

-- errors
SELECT dllb.highlight('x', 'x', 'no_such_config');
SELECT dllb.highlight('x', 'x', 'simple', '<', '>', -1);
