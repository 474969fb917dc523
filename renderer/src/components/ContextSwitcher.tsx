/** Which kubeconfig context to plan against: name, cluster, namespace and server; never credentials. */
import { useMemo, useRef, useState } from 'react';
import type { ContextInfo, ContextList } from '../../../core/api/contract.js';
import { Dropdown, useListKeys, useScrollActiveIntoView } from './Dropdown.js';

export function ContextSwitcher(props: { list: ContextList | null; value: string | null; onChange: (name: string) => void; onReload: () => void }): React.JSX.Element {
  const selected = props.list?.contexts.find((c) => c.name === props.value);
  const label = props.value ? (
    <>
      <span className="kind-icon" aria-hidden="true">
        ⎈
      </span>
      <span className={`ellipsis${selected?.protected ? ' text-error' : ''}`}>{props.value}</span>
      {selected?.protected && (
        <span className="pill pill-danger" data-testid="context-protected">
          protected
        </span>
      )}
      {selected && <span className="muted small ellipsis">{selected.namespace}</span>}
    </>
  ) : (
    'Pick a context'
  );
  return (
    <Dropdown label={label} title={selected ? `${selected.name}: cluster ${selected.cluster} (${selected.server}), namespace ${selected.namespace}` : undefined} testId="context-switcher" disabled={!props.list} width={420}>
      {(close) => (
        <ContextMenu
          list={props.list!}
          selected={props.value}
          onReload={props.onReload}
          onPick={(c) => {
            props.onChange(c.name);
            close();
          }}
        />
      )}
    </Dropdown>
  );
}

function ContextMenu(props: { list: ContextList; selected: string | null; onPick: (c: ContextInfo) => void; onReload: () => void }): React.JSX.Element {
  const [query, setQuery] = useState('');
  const listRef = useRef<HTMLUListElement>(null);
  const items = useMemo(() => {
    const words = query.toLowerCase().split(/\s+/).filter(Boolean);
    return props.list.contexts.filter((c) => words.every((w) => `${c.name} ${c.cluster} ${c.namespace} ${c.server}`.toLowerCase().includes(w)));
  }, [props.list, query]);
  const keys = useListKeys(items.length, (i) => items[i] && props.onPick(items[i]), { letters: false });
  useScrollActiveIntoView(listRef, keys.active);

  return (
    <div className="menu" data-testid="context-menu">
      <input className="menu-search" placeholder="Filter contexts…" aria-label="Filter contexts" value={query} autoFocus onChange={(e) => setQuery(e.target.value)} onKeyDown={keys.onKeyDown} />
      <ul className="menu-list" role="listbox" aria-label="Contexts" ref={listRef}>
        {items.map((c, index) => (
          <li key={c.name} role="presentation">
            <div
              role="option"
              data-index={index}
              data-context={c.name}
              aria-selected={index === keys.active}
              data-protected={c.protected ? 'true' : undefined}
              className={`menu-item${index === keys.active ? ' active' : ''}${c.name === props.selected ? ' selected' : ''}${c.protected ? ' protected' : ''}`}
              onMouseMove={() => keys.active !== index && keys.setActive(index)}
              onClick={() => props.onPick(c)}
            >
              <span className="kind-icon" aria-hidden="true">
                ⎈
              </span>
              <span className="menu-item-main">
                <span className="menu-item-title">
                  {c.name}
                  {c.current && <span className="pill">current</span>}
                  {c.protected && <span className="pill pill-danger">protected</span>}
                </span>
                <span className="menu-item-detail">
                  cluster <b>{c.cluster}</b> · namespace <b>{c.namespace}</b>
                </span>
                {c.server && <span className="menu-item-detail mono">{c.server}</span>}
              </span>
            </div>
          </li>
        ))}
        {items.length === 0 && <li className="menu-empty">{props.list.contexts.length === 0 ? 'The kubeconfig defines no contexts.' : `No context matches “${query}”.`}</li>}
      </ul>
      <div className="menu-foot">
        <span className="muted ellipsis" title={props.list.files.join('\n')}>
          {props.list.files.length ? `from ${props.list.files.join(', ')}` : 'no kubeconfig file found'}
        </span>
        <button type="button" className="btn small" onClick={props.onReload}>
          Reload
        </button>
      </div>
    </div>
  );
}
