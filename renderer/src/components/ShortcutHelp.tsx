/** The `?` dialog: every keyboard shortcut, read from the same table the key handlers use. */
import { helpRows, IS_MAC, type HelpRow } from '../shortcuts.js';
import { Modal } from './Modal.js';

export function ShortcutHelp(props: { onClose: () => void; mac?: boolean }): React.JSX.Element {
  const rows = helpRows(props.mac ?? IS_MAC);
  const groups = [...new Set(rows.map((r) => r.group))];
  return (
    <Modal title="Keyboard shortcuts" onClose={props.onClose} testId="shortcut-help" width={560}>
      <div className="modal-body shortcut-help">
        {groups.map((g) => (
          <section key={g}>
            <h3>{g}</h3>
            <table>
              <tbody>
                {rows
                  .filter((r) => r.group === g)
                  .map((r: HelpRow) => (
                    <tr key={`${r.keys.join()} ${r.does}`} data-testid="shortcut-row">
                      <th scope="row">
                        {r.keys.map((k, i) => (
                          <span key={k}>
                            {i > 0 && ' '}
                            <kbd>{k}</kbd>
                          </span>
                        ))}
                      </th>
                      <td>{r.does}</td>
                    </tr>
                  ))}
              </tbody>
            </table>
          </section>
        ))}
      </div>
    </Modal>
  );
}
