import './update-prompt.css';

/** "A new version is ready": shown at the bottom of every page until the person reloads. */
export function UpdatePrompt({ onReload }: { onReload: () => void }) {
  return (
    <div class="update-prompt" role="region" aria-label="App update">
      <p role="status">A new version is ready.</p>
      <button type="button" class="button button--primary" onClick={onReload}>
        Reload
      </button>
    </div>
  );
}
