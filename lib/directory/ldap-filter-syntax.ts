/**
 * A strict RFC 4515 syntax check for a configured LDAP filter, in plain TypeScript so the settings
 * form can share it. Returns what is wrong, or null. Anything that is not one whole, balanced filter
 * — `*)(uid=*`, `(uid=a)(uid=b)`, a stray `(` in a value — is refused, never "repaired".
 */
export function ldapFilterProblem(input: string): string | null {
  const s = input.trim();
  let i = 0;
  const fail = (message: string): never => {
    throw new FilterSyntaxError(message);
  };
  const expect = (c: string) => {
    if (s[i] !== c) fail(i >= s.length ? `The filter ends early: expected "${c}".` : `Expected "${c}" at position ${i + 1}.`);
    i++;
  };
  const filter = (depth: number): void => {
    if (depth > 50) fail('The filter is nested too deeply.');
    expect('(');
    const c = s[i];
    if (c === '&' || c === '|') {
      i++;
      if (s[i] !== '(') fail(`"${c}" must be followed by at least one filter in parentheses.`);
      while (s[i] === '(') filter(depth + 1);
    } else if (c === '!') {
      i++;
      filter(depth + 1);
    } else item();
    expect(')');
  };
  const item = () => {
    const attr = /^(?:[A-Za-z][A-Za-z0-9-]*|\d+(?:\.\d+)*)(?:;[A-Za-z0-9-]+)*/.exec(s.slice(i))?.[0] ?? '';
    i += attr.length;
    let extensible = false;
    while (s[i] === ':' && s[i + 1] !== '=') {
      const part = /^:(?:dn|[A-Za-z][A-Za-z0-9-]*|\d+(?:\.\d+)*)/i.exec(s.slice(i))?.[0];
      if (!part) fail(`Unexpected ":" at position ${i + 1}.`);
      i += part!.length;
      extensible = true;
    }
    if (!attr && !extensible) fail(`Expected an attribute name at position ${i + 1}.`);
    const op = /^(?:=|~=|>=|<=|:=)/.exec(s.slice(i))?.[0];
    if (!op) fail(`Expected =, ~=, >=, <= or := after "${attr}" at position ${i + 1}.`);
    if (op === ':=' || extensible) {
      if (op !== ':=') fail(`An extensible match needs ":=" at position ${i + 1}.`);
    }
    i += op!.length;
    value(op === '=');
  };
  const value = (starsAllowed: boolean) => {
    while (i < s.length && s[i] !== ')') {
      const c = s[i]!;
      if (c === '(') fail(`Unescaped "(" in a value at position ${i + 1}: write it as \\28.`);
      if (c === '\0') fail('The filter contains a NUL character.');
      if (c === '*' && !starsAllowed) fail(`"*" is only allowed with "=" (position ${i + 1}).`);
      if (c === '\\') {
        if (!/^[0-9A-Fa-f]{2}$/.test(s.slice(i + 1, i + 3))) fail(`A backslash must be followed by two hex digits (position ${i + 1}).`);
        i += 3;
        continue;
      }
      i++;
    }
  };
  try {
    if (!s) fail('Enter a filter, for example (objectClass=inetOrgPerson).');
    if (s[0] !== '(') fail('A filter starts with "(", for example (objectClass=inetOrgPerson).');
    filter(0);
    if (i !== s.length) fail(`Unexpected text after the end of the filter at position ${i + 1}: combine filters with (&…) or (|…).`);
    return null;
  } catch (error) {
    if (error instanceof FilterSyntaxError) return error.message;
    throw error;
  }
}

class FilterSyntaxError extends Error {}
