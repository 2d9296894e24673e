import { Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { Liquid, Output, Template } from 'liquidjs';
import { FieldProblem } from '../common/errors/api-error';

/** What a template can refer to: `{{firstName}}`, `{{attributes.plan}}` and so on. */
export interface RecipientValues {
  email: string;
  firstName: string | null;
  lastName: string | null;
  attributes: Record<string, string | number | boolean>;
}

export interface MessageTemplates {
  subject: string;
  html: string;
  text?: string | null;
}

export interface RenderedMessage {
  subject: string;
  html: string;
  text: string | null;
}

/**
 * A body template split into fixed text with a unique key where each `{{ output }}` stood, and
 * the outputs themselves: rendering every output and putting it in place of its key gives
 * exactly what rendering the whole template gives.
 */
export interface SplitBody {
  body: string;
  outputs: { key: string; template: Template[] }[];
}

/** Parsed once, rendered for many recipients. */
export interface CompiledTemplates {
  subject: Template[];
  html: Template[];
  text: Template[] | null;
}

const LIMITS = { parseLimit: 1_000_000, renderLimit: 1_000, memoryLimit: 10_000_000 };

/**
 * Liquid templates (`{{ firstName | default: "there" }}`). Two engines share one syntax: the
 * html one escapes every value it outputs, the plain one (subject, text) leaves them as they are.
 */
@Injectable()
export class TemplateRenderer {
  private readonly plain = new Liquid({ ...LIMITS, strictFilters: true, ownPropertyOnly: true });
  private readonly html = new Liquid({
    ...LIMITS,
    strictFilters: true,
    ownPropertyOnly: true,
    outputEscape: 'escape',
  });

  renderSubject(compiled: CompiledTemplates, values: RecipientValues): string {
    const scope = { ...values, attributes: values.attributes ?? {} };

    return toHeaderValue(this.plain.renderSync(compiled.subject, scope) as string);
  }

  /** The problems of each template that does not parse, named by field. */
  check(templates: Partial<MessageTemplates>): FieldProblem[] {
    const problems: FieldProblem[] = [];
    for (const field of ['subject', 'html', 'text'] as const) {
      const source = templates[field];
      if (typeof source !== 'string') continue;
      try {
        this.engineFor(field).parse(source);
      } catch (error) {
        problems.push({ field, reason: `template does not parse: ${describe(error)}` });
      }
    }

    return problems;
  }

  compile(templates: MessageTemplates): CompiledTemplates {
    return {
      subject: this.plain.parse(templates.subject),
      html: this.html.parse(templates.html),
      text: templates.text ? this.plain.parse(templates.text) : null,
    };
  }

  render(compiled: CompiledTemplates, values: RecipientValues): RenderedMessage {
    const scope = { ...values, attributes: values.attributes ?? {} };

    return {
      subject: this.renderSubject(compiled, values),
      html: this.html.renderSync(compiled.html, scope) as string,
      text: compiled.text ? (this.plain.renderSync(compiled.text, scope) as string) : null,
    };
  }

  /**
   * Splits a body so a provider can substitute per recipient; null when the template has tags
   * (`{% if %}`, `{% for %}`...), whose output cannot be expressed as substitutions.
   */
  split(field: 'html' | 'text', source: string): SplitBody | null {
    const engine = this.engineFor(field);
    const nonce = randomBytes(4).toString('hex');
    const parsed = engine.parse(source);
    let body = '';
    const outputs: SplitBody['outputs'] = [];
    for (const part of parsed) {
      if (part instanceof Output) {
        const key = `[[cm-${field}-${outputs.length}-${nonce}]]`;
        const token = part.token;
        outputs.push({ key, template: engine.parse(token.input.slice(token.begin, token.end)) });
        body += key;
      } else if (isText(part)) {
        body += part.str;
      } else {
        return null;
      }
    }

    return source.includes(`-${nonce}]]`) ? null : { body, outputs };
  }

  /** Each output of a split body rendered for one recipient, keyed as in the body. */
  renderOutputs(
    field: 'html' | 'text',
    split: SplitBody,
    values: RecipientValues,
  ): Record<string, string> {
    const engine = this.engineFor(field);
    const scope = { ...values, attributes: values.attributes ?? {} };
    const out: Record<string, string> = {};
    for (const { key, template } of split.outputs)
      out[key] = engine.renderSync(template, scope) as string;

    return out;
  }

  private engineFor(field: keyof MessageTemplates): Liquid {
    return field === 'html' ? this.html : this.plain;
  }
}

function isText(part: Template): part is Template & { str: string } {
  return part.constructor.name === 'HTML' && typeof (part as { str?: unknown }).str === 'string';
}

/** Anything that becomes a header is one line. */
export function toHeaderValue(value: string): string {
  return value.replace(/[\r\n]+/g, ' ').trim();
}

function describe(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);

  return message.split('\n')[0].replace(/, file:.*$/, '');
}
