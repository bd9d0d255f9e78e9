import { useRef, useState, type DragEvent } from 'react';
import { CUSTOMER_FIELDS, CUSTOMER_KEY_FIELDS } from '../../../../src/customers/fields.ts';
import { api, errorMessage } from '../../api/client.ts';
import type { ImportPreview, ImportReject, ImportReport } from '../../api/types.ts';
import { Button } from '../../components/Button.tsx';
import { Callout } from '../../components/Callout.tsx';
import { Select, SelectField } from '../../components/Field.tsx';
import { Icon } from '../../components/Icon.tsx';
import { PageHeader } from '../../components/Layout.tsx';
import { Spinner } from '../../components/Spinner.tsx';
import { Stepper } from '../../components/Stepper.tsx';
import { Table } from '../../components/Table.tsx';
import { useToast } from '../../components/Toast.tsx';
import { formatNumber } from '../../lib/format.ts';
import { useDocumentTitle } from '../../lib/hooks.ts';
import { Link } from '../../lib/router.tsx';

const STEPS = [{ title: 'Upload' }, { title: 'Map columns' }, { title: 'Report' }];
const DATE_FORMATS = ['auto', 'YYYY-MM-DD', 'DD-MM-YYYY', 'MM-DD-YYYY'];

/** Lowercase snake case, as the server names attributes: "Job Title" → job_title. */
function snake(header: string): string {
  return header
    .replace(/\([^)]*\)/g, ' ')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 63);
}

export function CustomerImportPage() {
  useDocumentTitle('Import customers');
  const toast = useToast();
  const [file, setFile] = useState<File | null>(null);
  const [preview, setPreview] = useState<ImportPreview | null>(null);
  const [mapping, setMapping] = useState<Record<string, string>>({});
  const [key, setKey] = useState('external_id');
  const [dateFormat, setDateFormat] = useState('auto');
  const [report, setReport] = useState<ImportReport | null>(null);
  const [allRejects, setAllRejects] = useState<ImportReject[] | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [dragging, setDragging] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const step = report ? 2 : preview ? 1 : 0;

  const choose = async (chosen: File | undefined) => {
    if (!chosen) return;
    setFile(chosen);
    setError(null);
    setBusy(true);
    const form = new FormData();
    form.append('file', chosen);
    try {
      const answer = await api.post<ImportPreview>('/api/customers/imports/preview', form);
      setPreview(answer);
      const suggested = answer.headers.map((header) => [header, answer.suggestedMapping[header] ?? '']);
      setMapping(Object.fromEntries(suggested));
      const targets = Object.values(answer.suggestedMapping);
      // A customer id identifies best; an email next; else any key field the file has.
      const preferred = ['external_id', 'email', ...CUSTOMER_KEY_FIELDS];
      setKey(preferred.find((field) => targets.includes(field)) ?? 'external_id');
      setDateFormat(answer.detectedDateFormat ?? 'auto');
    } catch (failure) {
      setError(errorMessage(failure));
    } finally {
      setBusy(false);
    }
  };

  const runImport = async () => {
    if (!file) return;
    if (!Object.values(mapping).includes(key)) {
      setError(`No column is mapped to ${key}, the field that identifies each customer. Map one, or choose another key.`);
      return;
    }
    setBusy(true);
    setError(null);
    const form = new FormData();
    // The server reads the settings before the file streams in, so they go first.
    form.append('key', key);
    form.append(
      'mapping',
      JSON.stringify(Object.fromEntries(Object.entries(mapping).map(([header, target]) => [
        header,
        target || null,
      ]))),
    );
    form.append('dateFormat', dateFormat);
    form.append('file', file);
    try {
      const answer = await api.post<ImportReport>('/api/customers/imports', form);
      setReport(answer);
      toast.show(
        'success',
        'Import finished',
        `${formatNumber(answer.inserted)} new, ${formatNumber(answer.updated)} updated, ${formatNumber(answer.rejected)} rejected.`,
      );
    } catch (failure) {
      setError(errorMessage(failure));
    } finally {
      setBusy(false);
    }
  };

  const loadAllRejects = async () => {
    const id = report?.importId ?? report?.id;
    if (!id) return;
    try {
      const details = await api.get<{ rejects: ImportReject[] }>(`/api/customers/imports/${id}`);
      setAllRejects(details.rejects);
    } catch (failure) {
      toast.show('error', 'Could not load the rejects', errorMessage(failure));
    }
  };

  const reset = () => {
    setFile(null);
    setPreview(null);
    setReport(null);
    setAllRejects(null);
    setError(null);
  };

  const onDrop = (event: DragEvent) => {
    event.preventDefault();
    setDragging(false);
    void choose(event.dataTransfer.files[0]);
  };

  const targetOptions = (header: string) => {
    const attribute = `attributes.${snake(header) || 'column'}`;
    const suggested = preview?.suggestedMapping[header];
    const options = [
      ...CUSTOMER_FIELDS.map((field) => ({ value: field, label: field })),
      { value: attribute, label: `Keep as attribute: ${attribute}` },
    ];
    if (suggested && !options.some((option) => option.value === suggested)) options.push({
      value: suggested,
      label: suggested,
    });
    return options;
  };

  return (
    <div className="page">
      <PageHeader
        back={{ to: '/customers', label: 'Segmentation → Customers' }}
        title="Import customers"
        description="Upload a CSV export, check how its columns map, then import."
      />
      <Stepper steps={STEPS} current={step} />
      {error && (
        <Callout tone="danger" role="alert" title="The file was not imported">
          {error}
        </Callout>
      )}

      {step === 0 && (
        <section className="card" aria-label="Upload">
          <div className="card-body">
            <label
              className={dragging ? 'dropzone active' : 'dropzone'}
              onDragOver={(event) => {
                event.preventDefault();
                setDragging(true);
              }}
              onDragLeave={() => setDragging(false)}
              onDrop={onDrop}
            >
              {busy ? <Spinner size="lg" label="Reading the file" /> : <Icon name="upload" />}
              <strong>{busy ? `Reading ${file?.name}…` : 'Drop a CSV file here, or click to choose one'}</strong>
              <span className="muted small">The first line must name the columns. Nothing is imported until you confirm the mapping.</span>
              <input
                ref={input}
                type="file"
                accept=".csv,text/csv"
                className="visually-hidden"
                aria-label="CSV file"
                onChange={(event) => void choose(event.target.files?.[0])}
              />
            </label>
          </div>
        </section>
      )}

      {step === 1 && preview && (
        <>
          <section className="card" aria-label="Column mapping">
            <header className="card-header">
              <div>
                <h2>Map the columns of {file?.name}</h2>
                <p>We suggested a field for each column. Change any of them; ignored columns are not stored.</p>
              </div>
            </header>
            <div className="card-body-flush">
              <Table
                compact
                rows={preview.headers.map((header, index) => ({ header, index }))}
                rowKey={(row) => row.index}
                columns={[
                  {
                    key: 'header',
                    header: 'Column in the file',
                    render: (row) => <span className="cell-strong">{row.header}</span>,
                  },
                  {
                    key: 'sample',
                    header: 'First values (masked)',
                    render: (row) => (
                      <span className="small muted mono">
                        {preview.sampleRows
                          .slice(0, 3)
                          .map((sample) => sample[row.index] ?? '')
                          .filter(Boolean)
                          .join(' · ') || '—'}
                      </span>
                    ),
                  },
                  {
                    key: 'target',
                    header: 'Sourcesible field',
                    width: 280,
                    render: (row) => (
                      <Select
                        size="sm"
                        aria-label={`Field for column ${row.header}`}
                        value={mapping[row.header] ?? ''}
                        onChange={(value) => setMapping((previous) => ({
                          ...previous,
                          [row.header]: value,
                        }))}
                        options={targetOptions(row.header)}
                        placeholder="Ignore this column"
                      />
                    ),
                  },
                ]}
              />
            </div>
          </section>
          <section className="card" aria-label="Import settings">
            <div className="card-body grid-2">
              <SelectField
                label="Identify customers by"
                value={key}
                onChange={setKey}
                options={CUSTOMER_KEY_FIELDS.map((field) => ({ value: field, label: field }))}
                hint="A line whose key matches an existing customer updates that profile; a line without a key is rejected."
              />
              <SelectField
                label="Dates in registered_at read as"
                value={dateFormat}
                onChange={setDateFormat}
                options={DATE_FORMATS.map((format) => ({
                  value: format,
                  label: format === 'auto' ? 'Detect automatically' : format,
                }))}
                hint={preview.detectedDateFormat ? `Detected ${preview.detectedDateFormat}.` : 'Used only when a column maps to registered_at.'}
                error={preview.dateFormatProblem ?? undefined}
              />
            </div>
          </section>
          <div className="action-bar">
            <Button variant="ghost" onClick={reset} disabled={busy}>
              Choose another file
            </Button>
            <Button variant="primary" icon="upload" onClick={() => void runImport()} pending={busy}>
              Import {file?.name}
            </Button>
          </div>
        </>
      )}

      {step === 2 && report && (
        <>
          <section className="card" aria-label="Import report">
            <header className="card-header">
              <div>
                <h2>Import report</h2>
                <p>{file?.name}</p>
              </div>
              <div className="row">
                <Button onClick={reset}>Import another file</Button>
                <Link className="btn btn-primary" to="/audiences">
                  Go to Audiences
                </Link>
              </div>
            </header>
            <div className="card-body">
              <div className="stat-grid" data-testid="import-report">
                <Stat label="Lines read" value={report.rowsRead} />
                <Stat label="New customers" value={report.inserted} />
                <Stat label="Updated" value={report.updated} />
                <Stat label="Unchanged" value={report.unchanged} />
                <Stat label="Rejected" value={report.rejected} />
                {report.duplicates !== undefined && report.duplicates > 0 && <Stat label="Duplicates folded" value={report.duplicates} />}
              </div>
            </div>
          </section>
          {report.rejected > 0 && (
            <section className="card" aria-label="Rejected lines">
              <header className="card-header">
                <div>
                  <h2>Rejected lines</h2>
                  <p>These lines did not become profiles. Fix them in the file and import it again: lines already imported are only updated.</p>
                </div>
                {!allRejects && report.rejected > report.rejects.length && (
                  <Button size="sm" onClick={() => void loadAllRejects()}>
                    Show all {formatNumber(report.rejected)}
                  </Button>
                )}
              </header>
              <div className="card-body-flush">
                <Table
                  compact
                  rows={allRejects ?? report.rejects}
                  rowKey={(reject) => `${reject.line}-${reject.reason}`}
                  columns={[
                    {
                      key: 'line',
                      header: 'Line',
                      width: 90,
                      className: 'num',
                      render: (reject) => reject.line,
                    },
                    { key: 'reason', header: 'Reason', render: (reject) => reject.reason },
                  ]}
                />
              </div>
            </section>
          )}
        </>
      )}
    </div>
  );
}

function Stat({ label, value }: { label: string; value: number }) {
  return (
    <div className="stat">
      <span className="stat-label">{label}</span>
      <span className="stat-value">{formatNumber(value)}</span>
    </div>
  );
}
