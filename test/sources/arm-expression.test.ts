import { describe, expect, it } from 'vitest';
import { field, findKey } from '../../src/model/settings.js';
import { Unresolved } from '../../src/model/unresolved.js';
import {
  Budget,
  copyCount,
  evaluate,
  evaluateDeep,
  isExpression,
  ResourceId,
  type Scope,
  withCopy,
} from '../../src/sources/arm-expression.js';

/**
 * The ARM template language as the evaluator implements it, function by function, with the edge cases the ARM
 * template function reference documents (learn.microsoft.com/azure/azure-resource-manager/templates/template-functions):
 * what a function returns, and that a value known only at deployment time stays unknown instead of a guess.
 */

const PARAMETERS: Record<string, unknown> = {
  clusterName: 'aks-Prod',
  stringToTest: 'OneTwoThree',
  objectToTest: { one: 'a', two: 'b', three: 'c' },
  arrayToTest: ['one', 'two', 'three'],
  nested: { profile: { ranges: ['10.0.0.0/8', '203.0.113.0/24'] } },
  enabled: true,
  count: 3,
  nothing: null,
};
const VARIABLES: Record<string, unknown> = { prefix: 'aks' };

/** A template whose parameters have the defaults above; any other parameter has no default and no value. */
const scope: Scope = {
  parameter: (name) =>
    findKey(PARAMETERS, name) === undefined
      ? new Unresolved(`[parameters('${name}')]`, `parameter '${name}' has no default value`)
      : field(PARAMETERS, name),
  variable: (name) => field(VARIABLES, name),
  copyIndex: () => undefined,
  deployment: () => undefined,
  budget: new Budget(),
};

const run = (expression: string) => evaluate(`[${expression}]`, scope);

/** Asserts an expression is unknown, with a reason that says why. */
function expectUnknown(expression: string, reason: RegExp) {
  const value = run(expression);
  expect(value).toBeInstanceOf(Unresolved);
  expect((value as Unresolved).reason).toMatch(reason);
}

describe('the expression syntax', () => {
  it('tells expressions from literal strings: [[ escapes a leading bracket', () => {
    expect(isExpression("[parameters('x')]")).toBe(true);
    expect(isExpression('[[not an expression]')).toBe(false);
    expect(isExpression('plain')).toBe(false);
    expect(evaluateDeep('[[literal]', scope)).toBe('[literal]');
    expect(evaluateDeep('plain text', scope)).toBe('plain text');
  });

  it('evaluates the expressions inside objects and arrays, and keeps the literal parts', () => {
    const value = { name: "[parameters('clusterName')]", tags: ["[toUpper(variables('prefix'))]", 'x'], n: 3 };
    expect(evaluateDeep(value, scope)).toEqual({ name: 'aks-Prod', tags: ['AKS', 'x'], n: 3 });
  });

  it('reads string literals with doubled quotes, numbers and spaces between arguments', () => {
    expect(run("'it''s'")).toBe("it's");
    expect(run("concat( 'a' ,\t'b' )")).toBe('ab');
    expect(run('createArray(-5, 3, 1.5)')).toEqual([-5, 3, 1.5]);
  });

  it('reads properties and indexes, property names in any casing', () => {
    expect(run("parameters('nested').profile.ranges[1]")).toBe('203.0.113.0/24');
    expect(run("parameters('nested')['PROFILE'].Ranges[0]")).toBe('10.0.0.0/8');
    expect(run("createArray('a', 'b')[1]")).toBe('b');
  });

  it('knows function names in any casing', () => {
    expect(run("TOLOWER(Parameters('clusterName'))")).toBe('aks-prod');
  });

  it('leaves an expression it cannot parse unknown, saying so', () => {
    for (const broken of ["concat('a'", "'unterminated", 'concat(1 2)', '42 )']) {
      expectUnknown(broken, /cannot parse the expression/);
    }
  });

  it('makes a property of a value without properties, or an index out of range, unknown', () => {
    expectUnknown("parameters('clusterName').name", /no property name/);
    expectUnknown("parameters('arrayToTest')['one']", /index out of range/);
  });
});

const SECRET = new Unresolved("[parameters('secret')]", "parameter 'secret' has no default value");

describe('parameters and variables', () => {
  it('read the template scope', () => {
    expect(run("parameters('count')")).toBe(3);
    expect(run("variables('prefix')")).toBe('aks');
    expect(run("parameters('nothing')")).toBeNull();
  });

  it('a parameter without a value is unknown, and so is every value built from it', () => {
    for (const expression of [
      "parameters('secret')",
      "toLower(parameters('secret'))",
      "concat('aks-', parameters('secret'))",
      "equals(parameters('secret'), 'x')",
      "join(createArray('a', parameters('secret')), ',')",
    ]) {
      expect(run(expression)).toEqual(SECRET);
    }
  });

  it('functions that only place values keep an unknown one in its place, so the others stay known', () => {
    expect(run("createArray('a', parameters('secret'))")).toEqual(['a', SECRET]);
    expect(run("createObject('on', true(), 'key', parameters('secret'))")).toEqual({ on: true, key: SECRET });
    expect(run("union(createObject('on', true()), createObject('key', parameters('secret')))")).toEqual({
      on: true,
      key: SECRET,
    });
    expect(run("first(createArray(parameters('secret'), 'b'))")).toEqual(SECRET);
    expect(run("last(createArray(parameters('secret'), 'b'))")).toBe('b');
    expect(run("length(createArray(parameters('secret'), 'b'))")).toBe(2);
  });
});

describe('logical functions', () => {
  it('true(), false(), null() and not()', () => {
    expect(run('true()')).toBe(true);
    expect(run('false()')).toBe(false);
    expect(run('null()')).toBeNull();
    expect(run('not(true())')).toBe(false);
    expect(run('not(false())')).toBe(true);
  });

  it('if() evaluates only the branch its condition chooses', () => {
    expect(run("if(true(), 'yes', parameters('secret'))")).toBe('yes');
    expect(run("if(false(), json('{'), 'no')")).toBe('no');
    expect(run("if(equals(parameters('count'), 3), 'three', 'other')")).toBe('three');
  });

  it('if() with an unknown condition is unknown, whatever its branches', () => {
    expect(run("if(parameters('secret'), 'same', 'same')")).toBeInstanceOf(Unresolved);
  });

  it('and() and or() take any number of arguments', () => {
    expect(run('and(true(), true(), true())')).toBe(true);
    expect(run('and(true(), true(), false())')).toBe(false);
    expect(run('or(false(), false(), true())')).toBe(true);
    expect(run('or(false(), false())')).toBe(false);
  });

  it('and() and or() decide despite an unknown argument when another decides alone', () => {
    expect(run("and(parameters('secret'), false())")).toBe(false);
    expect(run("or(parameters('secret'), true())")).toBe(true);
    expect(run("and(parameters('secret'), true())")).toBeInstanceOf(Unresolved);
    expect(run("or(parameters('secret'), false())")).toBeInstanceOf(Unresolved);
  });

  it('coalesce() returns the first argument that is not null: empty strings, arrays and objects are not null', () => {
    expect(run("coalesce(null(), parameters('nothing'), 'c')")).toBe('c');
    expect(run("coalesce(null(), '', 'c')")).toBe('');
    expect(run("coalesce(null(), createArray(), 'c')")).toEqual([]);
    expect(run('coalesce(null(), null())')).toBeNull();
  });

  it('coalesce() stops at the first known value, and is unknown when an unknown one comes first', () => {
    expect(run("coalesce('first', parameters('secret'))")).toBe('first');
    expect(run("coalesce(parameters('secret'), 'second')")).toBeInstanceOf(Unresolved);
  });
});

describe('comparison functions', () => {
  it('equals() compares values of every type', () => {
    expect(run("equals('abc', 'abc')")).toBe(true);
    expect(run("equals(parameters('count'), 3)")).toBe(true);
    expect(run("equals(parameters('arrayToTest'), createArray('one', 'two', 'three'))")).toBe(true);
    expect(run("equals(createArray('a', 'b'), createArray('b', 'a'))")).toBe(false);
    expect(run("equals('3', 3)")).toBe(false);
  });

  it('equals() compares objects by their properties, not by the order they are written in', () => {
    expect(run("equals(parameters('objectToTest'), createObject('three', 'c', 'two', 'b', 'one', 'a'))")).toBe(true);
    expect(run("equals(parameters('objectToTest'), createObject('one', 'a'))")).toBe(false);
  });

  it('less(), lessOrEquals(), greater(), greaterOrEquals() compare numbers and strings', () => {
    expect(run('less(1, 2)')).toBe(true);
    expect(run('lessOrEquals(2, 2)')).toBe(true);
    expect(run('greater(1, 2)')).toBe(false);
    expect(run('greaterOrEquals(3, 2)')).toBe(true);
    expect(run("greater('b', 'a')")).toBe(true);
  });
});

describe('conversion functions', () => {
  it.each([
    ["bool('true')", true],
    ["bool('False')", false],
    ['bool(1)', true],
    ['bool(0)', false],
    ["int('42')", 42],
    ['int(7)', 7],
    ["string('text')", 'text'],
    ['string(5)', '5'],
    ["string(createObject('a', 1))", '{"a":1}'],
    ["string(createArray('a', 'b'))", '["a","b"]'],
    ['json(\'{"enabled": true, "ranges": []}\')', { enabled: true, ranges: [] }],
    ["json('null')", null],
    ["json('3')", 3],
  ])('%s is %j', (expression, expected) => {
    expect(run(expression)).toEqual(expected);
  });

  it('json() of text that is not JSON is unknown', () => {
    expectUnknown("json('{not json')", /json\(\)/);
  });
});

describe('string functions', () => {
  it.each([
    ["toLower('AKS-Prod')", 'aks-prod'],
    ["toUpper('aks-prod')", 'AKS-PROD'],
    ["trim('  aks  ')", 'aks'],
    ["startsWith('Standard_D4s_v5', 'standard_')", true],
    ["endsWith('Standard_D4s_v5', '_V5')", true],
    ["startsWith('abc', 'bc')", false],
    ["split('a,b,c', ',')", ['a', 'b', 'c']],
    ["split('a', ',')", ['a']],
    ["split('a,b;c', createArray(',', ';'))", ['a', 'b', 'c']],
    ["replace('1.33.5', '.', '-')", '1-33-5'],
    ["replace('Aba', 'a', 'x')", 'Abx'],
    ["replace('a-a-a', 'a', 'b')", 'b-b-b'],
    ["first('abc')", 'a'],
    ["last('abc')", 'c'],
    ["first('')", ''],
  ])('%s is %j', (expression, expected) => {
    expect(run(expression)).toEqual(expected);
  });

  it('replace() of an empty string leaves the text as it is', () => {
    expect(run("replace('abc', '', 'x')")).toBe('abc');
  });

  it('concat() joins strings, and writes numbers and booleans as text', () => {
    expect(run("concat(variables('prefix'), '-', parameters('count'))")).toBe('aks-3');
    expect(run("concat('a')")).toBe('a');
  });

  it('format() fills {0}, {1} … in order, as .NET does (booleans as True/False, {{ and }} as braces)', () => {
    expect(run("format('{0}-{1}-{0}', 'a', 'b')")).toBe('a-b-a');
    expect(run("format('{0}/{1}', parameters('clusterName'), 'system')")).toBe('aks-Prod/system');
    expect(run("format('enabled: {0}', true())")).toBe('enabled: True');
    expect(run("format('{{{0}}}', 'x')")).toBe('{x}');
  });

  it('format() that names a missing argument, or a format specifier it does not apply, is unknown, never a guess', () => {
    expectUnknown("format('{0}-{1}', 'a')", /format/);
    expectUnknown("format('{0:N0}', 8175133)", /format/);
  });
});

describe('array and object functions', () => {
  it('empty() is true for null, an empty string, array or object only', () => {
    for (const empty of ["''", 'createArray()', 'createObject()', 'null()', "parameters('nothing')"]) {
      expect(run(`empty(${empty})`), empty).toBe(true);
    }
    for (const full of ["' '", "createArray('')", "parameters('objectToTest')", "'false'"]) {
      expect(run(`empty(${full})`), full).toBe(false);
    }
  });

  it('length() counts characters, array items and object properties', () => {
    expect(run("length('abc')")).toBe(3);
    expect(run("length(parameters('arrayToTest'))")).toBe(3);
    expect(run("length(parameters('objectToTest'))")).toBe(3);
    expect(run("length('')")).toBe(0);
  });

  it('contains(): strings case-sensitively, array items, object keys in any casing', () => {
    expect(run("contains(parameters('stringToTest'), 'e')")).toBe(true);
    expect(run("contains(parameters('stringToTest'), 'z')")).toBe(false);
    expect(run("contains(parameters('stringToTest'), 'one')")).toBe(false);
    expect(run("contains(parameters('objectToTest'), 'one')")).toBe(true);
    expect(run("contains(parameters('objectToTest'), 'ONE')")).toBe(true);
    expect(run("contains(parameters('objectToTest'), 'a')")).toBe(false);
    expect(run("contains(parameters('arrayToTest'), 'three')")).toBe(true);
    expect(run("contains(parameters('arrayToTest'), 'Three')")).toBe(false);
    expect(run('contains(createArray(1, 2), 2)')).toBe(true);
  });

  it('concat() of arrays joins the arrays, one level deep', () => {
    expect(run("concat(createArray('a'), createArray('b', createArray('c')))")).toEqual(['a', 'b', ['c']]);
  });

  it('createArray() and createObject() build values from their arguments', () => {
    expect(run("createArray(1, 'two', true())")).toEqual([1, 'two', true]);
    expect(run('createArray()')).toEqual([]);
    expect(run("createObject('intProp', 1, 'stringProp', 'abc', 'arrayProp', createArray('a'))")).toEqual({
      intProp: 1,
      stringProp: 'abc',
      arrayProp: ['a'],
    });
  });

  it('first() and last() of arrays', () => {
    expect(run("first(parameters('arrayToTest'))")).toBe('one');
    expect(run("last(parameters('arrayToTest'))")).toBe('three');
    expect(run('first(createArray())')).toBeNull();
  });

  it('union() of arrays keeps each value once, in the order of the arguments', () => {
    expect(run("union(createArray('one', 'two', 'three'), createArray('three', 'four'))")).toEqual([
      'one',
      'two',
      'three',
      'four',
    ]);
  });

  it('union() of objects: a later argument wins, and nested objects are merged, nested arrays not', () => {
    const first = "createObject('one', 'a', 'property', createObject('x', 1, 'y', 2), 'list', createArray(1, 2))";
    const second = "createObject('two', 'b', 'property', createObject('y', 3, 'z', 4), 'list', createArray(3))";
    expect(run(`union(${first}, ${second})`)).toEqual({
      one: 'a',
      two: 'b',
      property: { x: 1, y: 3, z: 4 },
      list: [3],
    });
  });
});

describe('functions that read the deployment', () => {
  it.each([
    'resourceGroup().location',
    "resourceId('Microsoft.Network/virtualNetworks', 'vnet')",
    "reference('vnet').subnets",
    "uniqueString('a', 'b')",
    'subscription().subscriptionId',
    'utcNow()',
    'deployment().name',
  ])('%s stays unknown', (expression) => {
    expectUnknown(expression, /known only at deployment time/);
  });
});

describe('more string functions', () => {
  it.each([
    ["substring('hello world', 6)", 'world'],
    ["substring('hello world', 0, 5)", 'hello'],
    ["indexOf('test', 't')", 0],
    ["lastIndexOf('test', 't')", 3],
    ["indexOf('abcdef', 'CD')", 2],
    ["lastIndexOf('abcdef', 'AB')", 0],
    ["indexOf('abcdef', 'z')", -1],
    ["padLeft('123', 10, '0')", '0000000123'],
    ['padLeft(7, 3)', '  7'],
    ["padLeft('too long', 3, '0')", 'too long'],
    ["join(createArray('a', 'b', 'c'), ',')", 'a,b,c'],
    ["join(createArray(), ',')", ''],
    ["take('abc', 2)", 'ab'],
    ["skip('abc', 2)", 'c'],
  ])('%s is %j', (expression, expected) => {
    expect(run(expression)).toEqual(expected);
  });

  it('substring() outside the string is an error in ARM, so unknown here', () => {
    expectUnknown("substring('abc', 2, 5)", /substring/);
    expectUnknown("substring('abc', -1)", /substring/);
  });

  it('padLeft() pads with one character only, as ARM requires', () => {
    expectUnknown("padLeft('1', 4, 'ab')", /padLeft/);
  });

  it('join() of something that is not an array is unknown', () => {
    expectUnknown("join('abc', ',')", /join/);
  });
});

describe('more array and object functions', () => {
  it('array() wraps a value that is not an array, and keeps an array as it is', () => {
    expect(run("array('a')")).toEqual(['a']);
    expect(run("array(parameters('arrayToTest'))")).toEqual(['one', 'two', 'three']);
  });

  it('take() and skip(): a count of 0 or less takes nothing and skips nothing; past the end, everything', () => {
    expect(run("take(parameters('arrayToTest'), 2)")).toEqual(['one', 'two']);
    expect(run("take(parameters('arrayToTest'), 0)")).toEqual([]);
    expect(run("take(parameters('arrayToTest'), -1)")).toEqual([]);
    expect(run("take(parameters('arrayToTest'), 9)")).toEqual(['one', 'two', 'three']);
    expect(run("take('abc', -1)")).toBe('');
    expect(run("skip(parameters('arrayToTest'), 2)")).toEqual(['three']);
    expect(run("skip(parameters('arrayToTest'), -1)")).toEqual(['one', 'two', 'three']);
    expect(run("skip(parameters('arrayToTest'), 9)")).toEqual([]);
    expect(run("skip('abc', -2)")).toBe('abc');
  });

  it('intersection() keeps what every argument has: array items and object properties, compared by value', () => {
    expect(run("intersection(createArray('a', 'b', 'c'), createArray('d', 'b', 'c'))")).toEqual(['b', 'c']);
    expect(
      run("intersection(createObject('one', 'a', 'two', 'b', 'three', 'c'), createObject('one', 'a', 'two', 'z'))"),
    ).toEqual({ one: 'a' });
    const rule = (x: number, y: number) => `createObject('x', ${x}, 'y', ${y})`;
    expect(run(`intersection(createArray(${rule(1, 2)}), createArray(createObject('y', 2, 'x', 1)))`)).toEqual([
      { x: 1, y: 2 },
    ]);
  });

  it('union() and contains() compare array items by value, objects in any property order', () => {
    expect(run("union(createArray(createObject('a', 1, 'b', 2)), createArray(createObject('b', 2, 'a', 1)))")).toEqual([
      { a: 1, b: 2 },
    ]);
    expect(run("contains(createArray(createObject('a', 1)), createObject('a', 1))")).toBe(true);
  });

  it('range() counts up from its start; a negative count is an error in ARM, so unknown', () => {
    expect(run('range(1, 3)')).toEqual([1, 2, 3]);
    expect(run('range(5, 0)')).toEqual([]);
    expectUnknown('range(0, -1)', /range/);
  });

  it('min() and max() of numbers or of one array; of an empty array unknown', () => {
    expect(run('min(6, 2, 9)')).toBe(2);
    expect(run('max(createArray(0, 3, 2))')).toBe(3);
    expectUnknown('min(createArray())', /min/);
    expectUnknown('max(createArray())', /max/);
  });

  it('flatten() flattens one level; objectKeys() names the keys', () => {
    expect(run("flatten(createArray(createArray('a', 'b'), createArray('c', createArray('d'))))")).toEqual([
      'a',
      'b',
      'c',
      ['d'],
    ]);
    expect(run("objectKeys(parameters('objectToTest'))")).toEqual(['one', 'two', 'three']);
  });

  it('items() turns an object into key/value pairs, sorted by key as ARM sorts them', () => {
    expect(run("items(parameters('objectToTest'))")).toEqual([
      { key: 'one', value: 'a' },
      { key: 'three', value: 'c' },
      { key: 'two', value: 'b' },
    ]);
  });

  it('tryGet() reads a key or an index, through several levels, and is null where there is none', () => {
    expect(run("tryGet(parameters('objectToTest'), 'two')")).toBe('b');
    expect(run("tryGet(parameters('objectToTest'), 'four')")).toBeNull();
    expect(run("tryGet(parameters('nested'), 'profile', 'ranges', 1)")).toBe('203.0.113.0/24');
    expect(run("tryGet(parameters('nested'), 'profile', 'missing', 1)")).toBeNull();
    expect(run("tryGet(parameters('arrayToTest'), 5)")).toBeNull();
  });

  it('shallowMerge() merges an array of objects: a later one wins, nested objects are replaced, not merged', () => {
    const first = "createObject('one', 'a', 'nested', createObject('x', 1))";
    const second = "createObject('two', 'b', 'nested', createObject('y', 2))";
    expect(run(`shallowMerge(createArray(${first}, ${second}))`)).toEqual({ one: 'a', two: 'b', nested: { y: 2 } });
  });
});

describe('numeric functions', () => {
  it.each([
    ['add(5, 3)', 8],
    ['sub(7, 3)', 4],
    ['mul(5, 3)', 15],
    ['div(8, 3)', 2],
    ['div(-8, 3)', -2],
    ['mod(7, 3)', 1],
    ['mod(-7, 3)', -1],
  ])('%s is %j', (expression, expected) => {
    expect(run(expression)).toBe(expected);
  });

  it('dividing by zero is an error in ARM, so unknown', () => {
    expectUnknown('div(1, 0)', /zero/);
    expectUnknown('mod(1, 0)', /zero/);
  });
});

describe('lambda functions', () => {
  const pools =
    "createArray(createObject('name', 'system', 'count', 3), createObject('name', 'user', 'count', 0), createObject('name', 'gpu', 'count', 1))";

  it('map() applies the lambda to every item, with its index when the lambda takes two', () => {
    expect(run(`map(${pools}, lambda('p', lambdaVariables('p').name))`)).toEqual(['system', 'user', 'gpu']);
    expect(
      run("map(createArray('a', 'b'), lambda('x', 'i', concat(lambdaVariables('x'), string(lambdaVariables('i')))))"),
    ).toEqual(['a0', 'b1']);
  });

  it('filter() keeps the items for which the lambda is true', () => {
    expect(run(`filter(${pools}, lambda('p', greater(lambdaVariables('p').count, 0)))`)).toEqual([
      { name: 'system', count: 3 },
      { name: 'gpu', count: 1 },
    ]);
  });

  it('reduce() folds from an initial value', () => {
    expect(
      run(`reduce(${pools}, 0, lambda('sum', 'p', add(lambdaVariables('sum'), lambdaVariables('p').count)))`),
    ).toBe(4);
  });

  it('sort() orders by a lambda that says whether the first goes before the second', () => {
    const sorted = run(
      `sort(${pools}, lambda('a', 'b', less(lambdaVariables('a').count, lambdaVariables('b').count)))`,
    );
    expect((sorted as { name: string }[]).map((p) => p.name)).toEqual(['user', 'gpu', 'system']);
  });

  it('toObject() keys items by one lambda, with values from another or the items themselves; mapValues()', () => {
    expect(
      run(`toObject(${pools}, lambda('p', lambdaVariables('p').name), lambda('p', lambdaVariables('p').count))`),
    ).toEqual({ system: 3, user: 0, gpu: 1 });
    expect(run("toObject(createArray('a'), lambda('x', toUpper(lambdaVariables('x'))))")).toEqual({ A: 'a' });
    expect(run("mapValues(createObject('a', 1, 'b', 2), lambda('v', mul(lambdaVariables('v'), 10)))")).toEqual({
      a: 10,
      b: 20,
    });
  });

  it('nested lambdas see their own variables and the outer ones', () => {
    const expression =
      "map(createArray(1, 2), lambda('x', map(createArray(10), lambda('y', add(lambdaVariables('x'), lambdaVariables('y'))))))";
    expect(run(expression)).toEqual([[11], [12]]);
  });

  it('a lambda outside these functions, lambdaVariables() outside its lambda, or map() of a non-array is unknown', () => {
    expectUnknown("lambda('x', 1)", /lambda/);
    expectUnknown("lambdaVariables('x')", /lambdaVariables/);
    expectUnknown("map('abc', lambda('x', 1))", /not an array/);
    const [item] = run("map(createArray(1), 'not a lambda')") as unknown[];
    expect((item as Unresolved).reason).toMatch(/lambda/);
  });

  it('a collection known only at deployment time leaves the result unknown', () => {
    expect(run("map(parameters('secret'), lambda('x', 1))")).toEqual(SECRET);
  });
});

describe('copy loops', () => {
  const inLoop = withCopy(scope, 'pools', 2, true);

  it('copyIndex() is the iteration, plus an offset; by the loop name too, in any casing', () => {
    expect(evaluate('[copyIndex()]', inLoop)).toBe(2);
    expect(evaluate('[copyIndex(1)]', inLoop)).toBe(3);
    expect(evaluate("[copyIndex('POOLS')]", inLoop)).toBe(2);
    expect(evaluate("[copyIndex('pools', 10)]", inLoop)).toBe(12);
  });

  it('copyIndex() outside a copy loop, or naming another loop, is unknown', () => {
    expectUnknown('copyIndex()', /outside a copy loop/);
    expect(evaluate("[copyIndex('other')]", inLoop)).toBeInstanceOf(Unresolved);
  });

  it('a property copy loop makes its array; a count that is unknown or above 800 leaves the array unknown', () => {
    const value = {
      copy: [{ name: 'pools', count: 2, input: { name: "[concat('np', copyIndex('pools', 1))]" } }],
    };
    expect(evaluateDeep(value, scope)).toEqual({ pools: [{ name: 'np1' }, { name: 'np2' }] });
    expect(copyCount({ name: 'pools', count: "[parameters('secret')]" }, scope)).toEqual(SECRET);
    expect(copyCount({ name: 'pools', count: 801 }, scope)).toBeInstanceOf(Unresolved);
    expect(copyCount({ name: 'pools', count: 'three' }, scope)).toBeInstanceOf(Unresolved);
  });
});

describe('resource ids and references', () => {
  const withDeployment: Scope = {
    ...scope,
    deployment: (name) => (name === 'network' ? { outputs: { subnetId: { value: 'snet-1' } } } : undefined),
  };

  it('resourceId() is unknown as text but knows its type and name, so empty() of it is false', () => {
    const id = run("resourceId('Microsoft.Network/virtualNetworks', 'vnet')");
    expect(id).toBeInstanceOf(ResourceId);
    expect(id).toMatchObject({ type: 'Microsoft.Network/virtualNetworks', names: ['vnet'] });
    expect(run("empty(resourceId('Microsoft.Network/virtualNetworks', 'vnet'))")).toBe(false);
    expect(run("resourceId('sub', 'rg', 'Microsoft.Network/virtualNetworks', 'vnet')")).toMatchObject({
      names: ['vnet'],
    });
  });

  it('reference() of a nested deployment of the template, by name or by its resource id, gives its outputs', () => {
    expect(evaluate("[reference('network').outputs.subnetId.value]", withDeployment)).toBe('snet-1');
    expect(
      evaluate(
        "[reference(resourceId('Microsoft.Resources/deployments', 'network')).outputs.subnetId.value]",
        withDeployment,
      ),
    ).toBe('snet-1');
    expect(evaluate("[reference('other')]", withDeployment)).toBeInstanceOf(Unresolved);
  });
});
