/** Errors as a person reads them, and the boundary that keeps one crash from blanking the screen. */
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { EngineError } from '../host.js';
import { ErrorBoundary, ErrorMessage } from './Errors.js';

describe('ErrorMessage', () => {
  it.each([
    [new EngineError({ code: 'forbidden', message: 'me may not create deployments.apps in namespace shop', hint: 'ask for the edit role' }), ['forbidden', 'me may not create deployments.apps in namespace shop', 'Hint: ask for the edit role']],
    [{ code: 'yaml-syntax', message: 'invalid YAML: bad indentation', location: { file: 'apps/web/a.yaml', line: 3, column: 5 } }, ['yaml-syntax', 'invalid YAML: bad indentation', 'at apps/web/a.yaml:3:5']],
    [new TypeError("Cannot read properties of undefined (reading 'key')"), ['ui-error', "Cannot read properties of undefined (reading 'key')"]],
    ['a plain string', ['ui-error', 'a plain string']],
  ])('shows code, message, where and hint of %o', (error, texts) => {
    render(<ErrorMessage title="It failed" error={error} />);
    const box = screen.getByRole('alert');
    expect(box.textContent).toContain('It failed');
    for (const t of texts) expect(box.textContent).toContain(t);
  });
});

describe('ErrorMessage of a render tool', () => {
  const error = new EngineError({
    code: 'render-failed',
    message: 'helm template for app web (charts/web) failed (exit 1): nil pointer evaluating interface {}.deeper (at <.Values.nope.deeper>)',
    location: { file: 'charts/web/templates/cm.yaml', line: 7, column: 20 },
    snippet: { startLine: 5, lines: ['data:', '  greeting: {{ .Values.greeting }}', '  deeper: {{ .Values.nope.deeper }}'] },
    output: 'Error: web/templates/cm.yaml:7:20\n  executing "web/templates/cm.yaml" at <.Values.nope.deeper>:\n    nil pointer evaluating interface {}.deeper',
  });

  it('shows the headline, the file:line with its lines (the line marked), and the whole output folded away', async () => {
    render(<ErrorMessage title="The plan failed" error={error} />);
    const box = screen.getByRole('alert');
    expect(box.querySelector('.error-text')?.textContent).toBe(error.message);
    expect(box.querySelector('.error-where')?.textContent).toBe('at charts/web/templates/cm.yaml:7:20');
    const lines = [...screen.getByTestId('error-snippet').querySelectorAll('[data-line]')];
    expect(lines.map((l) => [l.getAttribute('data-line'), l.className])).toEqual([
      ['5', ''],
      ['6', ''],
      ['7', 'error-line'],
    ]);
    expect(lines[2]?.textContent).toBe('7  deeper: {{ .Values.nope.deeper }}');
    const output = screen.getByTestId<HTMLDetailsElement>('error-output');
    expect(output.open).toBe(false);
    await userEvent.click(screen.getByText('Full output of the tool'));
    expect(output.open).toBe(true);
    expect(output.querySelector('pre')?.textContent).toContain('executing "web/templates/cm.yaml"');
  });

  it('an error without them shows neither', () => {
    render(<ErrorMessage error={{ code: 'forbidden', message: 'no' }} />);
    expect(screen.queryByTestId('error-snippet')).toBeNull();
    expect(screen.queryByTestId('error-output')).toBeNull();
  });
});

function Bomb(props: { armed: boolean }): React.JSX.Element {
  if (props.armed) throw new Error('the resource list exploded');
  return <p>resources</p>;
}

describe('ErrorBoundary', () => {
  const quiet = console.error;
  beforeEach(() => {
    console.error = vi.fn();
  });
  afterEach(() => {
    console.error = quiet;
  });

  it('shows what stopped working instead of a blank screen, and logs the crash', () => {
    render(
      <main>
        <p>the rest of the screen</p>
        <ErrorBoundary what="resource list">
          <Bomb armed />
        </ErrorBoundary>
      </main>,
    );
    expect(screen.getByText('the rest of the screen')).toBeTruthy();
    expect(screen.getByRole('alert').textContent).toContain('The resource list stopped working');
    expect(screen.getByRole('alert').textContent).toContain('the resource list exploded');
    expect(vi.mocked(console.error).mock.calls.some((c) => String(c[0]).includes('Slipway: resource list crashed'))).toBe(true);
  });

  it('tries again on request, and resets when its key changes', async () => {
    function Harness(): React.JSX.Element {
      const [armed, setArmed] = useState(true);
      const [key, setKey] = useState(1);
      return (
        <>
          <button onClick={() => setArmed(false)}>fix</button>
          <button onClick={() => setKey((k) => k + 1)}>next</button>
          <ErrorBoundary what="diff view" resetKey={key}>
            <Bomb armed={armed} />
          </ErrorBoundary>
        </>
      );
    }
    const user = userEvent.setup();
    render(<Harness />);
    await user.click(screen.getByRole('button', { name: 'Try again' }));
    expect(screen.getByRole('alert')).toBeTruthy(); // still broken: it fails again
    await user.click(screen.getByRole('button', { name: 'fix' }));
    await user.click(screen.getByRole('button', { name: 'next' }));
    expect(screen.queryByRole('alert')).toBeNull();
    expect(screen.getByText('resources')).toBeTruthy();
  });
});
