/**
 * What this plan means beyond the app's own settings: its namespace (empty: the app's destination,
 * else the context's), prune (off unless the app asks for it) and createNamespace — the CLI's
 * -n, --prune and --create-namespace.
 */
import { useId } from 'react';

export interface PlanOptionsValue {
  /** "" = the default below. */
  readonly namespace: string;
  readonly prune: boolean;
  readonly createNamespace: boolean;
}

export interface PlanOptionsDefaults {
  readonly namespace: string;
  /** Where the default namespace comes from, for its tooltip: "the app's destination", "context staging". */
  readonly namespaceFrom: string;
  readonly prune: boolean;
  readonly createNamespace: boolean;
}

const NAMESPACE_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** Why a typed namespace cannot be used, or null. */
export function namespaceProblem(text: string): string | null {
  const t = text.trim();
  if (t === '' || (NAMESPACE_NAME.test(t) && t.length <= 63)) return null;
  return 'is not a namespace name (lowercase letters, digits and "-", starting and ending with a letter or digit)';
}

export function PlanOptions(props: { value: PlanOptionsValue; defaults: PlanOptionsDefaults; onChange: (v: PlanOptionsValue) => void }): React.JSX.Element {
  const { value, defaults } = props;
  const id = useId();
  const problem = namespaceProblem(value.namespace);
  return (
    <div className="field plan-options">
      <span className="field-label" id={`${id}-ns`}>
        Namespace
      </span>
      <div className="field-row">
        <input
          className="input namespace-input"
          data-testid="namespace-input"
          aria-labelledby={`${id}-ns`}
          aria-invalid={problem !== null}
          placeholder={defaults.namespace}
          title={`The app's namespace: its ApplySet, Helm's release namespace and objects that name none. Empty: ${defaults.namespace} (${defaults.namespaceFrom})`}
          value={value.namespace}
          spellCheck={false}
          autoComplete="off"
          onChange={(e) => props.onChange({ ...value, namespace: e.target.value })}
        />
        <label className="check" title="Delete objects of the app's own ApplySet that are no longer in the revision (as kubectl apply --prune)">
          <input type="checkbox" data-testid="prune-toggle" checked={value.prune} onChange={(e) => props.onChange({ ...value, prune: e.target.checked })} /> Prune
        </label>
        <label className="check" title="Create the namespace when it does not exist; it is not owned by the app, so never pruned">
          <input type="checkbox" data-testid="create-namespace-toggle" checked={value.createNamespace} onChange={(e) => props.onChange({ ...value, createNamespace: e.target.checked })} /> Create <span className="wide-only">namespace</span>
          <span className="narrow-only">ns</span>
        </label>
      </div>
      {problem && (
        <span className="field-problem" role="alert" data-testid="namespace-problem">
          {value.namespace.trim()} {problem}
        </span>
      )}
    </div>
  );
}
