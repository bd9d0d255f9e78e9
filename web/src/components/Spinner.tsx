export function Spinner({
  size = 'sm',
  label = 'Loading',
}: { size?: 'sm' | 'lg'; label?: string }) {
  return <span className={size === 'lg' ? 'spinner spinner-lg' : 'spinner'} role="status" aria-label={label} />;
}

export function LoadingBlock({ label = 'Loading…' }: { label?: string }) {
  return (
    <div className="loading-block">
      <Spinner size="lg" label={label} />
      <span>{label}</span>
    </div>
  );
}
