import { Test } from '@nestjs/testing';
import { MessageTemplates, RecipientValues, TemplateRenderer } from './template-renderer';

const ANN: RecipientValues = {
  email: 'ann@example.com',
  firstName: 'Ann',
  lastName: 'Lee',
  attributes: { plan: 'pro', seats: 3 },
};

describe('TemplateRenderer', () => {
  let renderer: TemplateRenderer;

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({ providers: [TemplateRenderer] }).compile();
    renderer = moduleRef.get(TemplateRenderer);
  });

  const render = (templates: MessageTemplates, values: RecipientValues = ANN) =>
    renderer.render(renderer.compile(templates), values);

  it('fills the placeholders of subject, html and text', () => {
    const out = render({
      subject: 'Hi {{firstName}} {{lastName}}',
      html: '<p>{{email}}</p>',
      text: 'Plan: {{attributes.plan}}, seats: {{ attributes.seats }}',
    });

    expect(out).toEqual({
      subject: 'Hi Ann Lee',
      html: '<p>ann@example.com</p>',
      text: 'Plan: pro, seats: 3',
    });
  });

  it('uses the fallback of `default` when a value is missing', () => {
    const nobody = { email: 'x@example.com', firstName: null, lastName: null, attributes: {} };

    const out = render(
      {
        subject: 'Hi {{ firstName | default: "there" }}',
        html: '<p>{{ attributes.plan | default: "free" }}</p>',
      },
      nobody,
    );

    expect(out.subject).toBe('Hi there');
    expect(out.html).toBe('<p>free</p>');
  });

  it('renders a missing attribute without a fallback as empty', () => {
    expect(render({ subject: '[{{attributes.unknown}}]', html: '' }).subject).toBe('[]');
  });

  it('HTML-escapes values in html only', () => {
    const values = { ...ANN, firstName: '<b>Tom & "Jerry"</b>' };

    const out = render(
      { subject: 'Hi {{firstName}}', html: '<p>{{firstName}}</p>', text: 'Hi {{firstName}}' },
      values,
    );

    expect(out.html).toBe('<p>&lt;b&gt;Tom &amp; &#34;Jerry&#34;&lt;/b&gt;</p>');
    expect(out.subject).toBe('Hi <b>Tom & "Jerry"</b>');
    expect(out.text).toBe('Hi <b>Tom & "Jerry"</b>');
  });

  it('removes line breaks from the subject, including those a value brings in', () => {
    const values = { ...ANN, firstName: 'Ann\r\nBcc: victim@example.com' };

    const out = render({ subject: 'Hello\n{{firstName}}', html: '' }, values);

    expect(out.subject).toBe('Hello Ann Bcc: victim@example.com');
    expect(out.subject).not.toMatch(/[\r\n]/);
  });

  it('answers null text when the campaign has none', () => {
    expect(render({ subject: 's', html: 'h' }).text).toBeNull();
  });

  it('reports each template that does not parse with its field', () => {
    const problems = renderer.check({
      subject: 'Hi {{ firstName',
      html: '<p>{% if %}</p>',
      text: 'fine {{email}}',
    });

    expect(problems.map((p) => p.field)).toEqual(['subject', 'html']);
    for (const problem of problems) expect(problem.reason).toMatch(/^template does not parse: \S/);
  });

  it('reports an unknown filter as a parse problem', () => {
    expect(renderer.check({ html: '{{ email | shout }}' })).toEqual([
      { field: 'html', reason: expect.stringContaining('shout') },
    ]);
  });

  it('finds no problem in templates that parse', () => {
    expect(renderer.check({ subject: 'Hi {{firstName}}', html: '<p/>', text: null })).toEqual([]);
  });
});
