/** Stands in for the Monaco YAML view in component tests (Monaco does not run in jsdom): the text as it is. */
export function FakeYamlView(props: { yaml: string; label: string }): React.JSX.Element {
  return (
    <div data-testid="yaml-view">
      <div className="yaml-label">{props.label}</div>
      <pre data-testid="yaml-text">{props.yaml}</pre>
    </div>
  );
}
