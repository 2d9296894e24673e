import { Injectable } from '@nestjs/common';
import { Liquid, Template } from 'liquidjs';
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
    const subject = this.plain.renderSync(compiled.subject, scope) as string;

    return {
      subject: toHeaderValue(subject),
      html: this.html.renderSync(compiled.html, scope) as string,
      text: compiled.text ? (this.plain.renderSync(compiled.text, scope) as string) : null,
    };
  }

  private engineFor(field: keyof MessageTemplates): Liquid {
    return field === 'html' ? this.html : this.plain;
  }
}

/** Anything that becomes a header is one line. */
export function toHeaderValue(value: string): string {
  return value.replace(/[\r\n]+/g, ' ').trim();
}

function describe(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);

  return message.split('\n')[0].replace(/, file:.*$/, '');
}
