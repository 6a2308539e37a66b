import { describe, expect, it } from 'vitest';
import { field, findKey } from '../../src/model/settings.js';
import { Unresolved } from '../../src/model/unresolved.js';
import { Budget, evaluate, evaluateDeep, isExpression, type Scope } from '../../src/sources/arm-expression.js';

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
