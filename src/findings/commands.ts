/**
 * Finds the AWS CLI commands in a remediation text so that chat renderers can show them as code.
 * Remediations are prose written by the checks with commands inline, e.g.
 * "... recreate it (aws secretsmanager create-secret --name 'prod db' --region us-east-1) and ...".
 * A command is `aws <service> <operation>`, then arguments that look like one (a path, an ARN, a
 * quoted word, a <placeholder>), then `--flag [value]` pairs; it ends at the first word that is none
 * of these (prose), or at a closing parenthesis.
 */
export type TextPart = { kind: 'text'; text: string } | { kind: 'command'; text: string };

const START = /\baws [a-z0-9-]+ [a-z0-9-]+/g;
/** One shell word as shellQuote writes it: quoted runs ('...', with '\'' escapes), <placeholders>, or plain characters. */
const WORD = /^(?:'[^']*'|\\'|<[^<>\s]*>|[^\s'()<>\\])+/;

/** A positional argument, told apart from the prose that may follow a command. */
const POSITIONAL = /^(?:'|<|\/|arn:|file:|[^\s]*[/:])/;

function commandEnd(text: string, from: number): number {
  let end = from;
  let expectValue = false;
  let flagsStarted = false;
  for (;;) {
    const rest = text.slice(end);
    const space = /^ +/.exec(rest);
    if (!space) return end;
    const word = WORD.exec(rest.slice(space[0].length));
    if (!word) return end;
    let value = word[0];
    const isFlag = value.startsWith('--');
    if (!isFlag && !expectValue && (flagsStarted || !POSITIONAL.test(value))) return end;
    if (isFlag) flagsStarted = true;
    // Sentence punctuation after the last word belongs to the prose, not to the command.
    const trailing = /[.,;:]+$/.exec(value);
    if (trailing && !value.endsWith("'")) value = value.slice(0, -trailing[0].length);
    end += space[0].length + value.length;
    if (value.length !== word[0].length) return end;
    expectValue = isFlag;
  }
}

export function splitCommands(text: string): TextPart[] {
  const parts: TextPart[] = [];
  let last = 0;
  for (const match of text.matchAll(START)) {
    const start = match.index ?? 0;
    if (start < last) continue;
    const end = commandEnd(text, start + match[0].length);
    if (start > last) parts.push({ kind: 'text', text: text.slice(last, start) });
    parts.push({ kind: 'command', text: text.slice(start, end) });
    last = end;
  }
  if (last < text.length) parts.push({ kind: 'text', text: text.slice(last) });
  return parts;
}

export function commandsIn(text: string): string[] {
  return splitCommands(text)
    .filter((p) => p.kind === 'command')
    .map((p) => p.text);
}
