<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
<context>
    <name>AutoBackup</name>
    <message>
        <source>끝내기 전에 데이터를 백업하는 중…</source>
        <translation>Backing up your data before quitting…</translation>
    </message>
    <message>
        <source>백업하지 않고 끝내기</source>
        <translation>Quit without backing up</translation>
    </message>
    <message>
        <source>자동 백업</source>
        <translation>Automatic backup</translation>
    </message>
</context>
<context>
    <name>CertificateTab</name>
    <message>
        <source>참여 정보·KPI 탭에서 빠진 값을 채우고 저장하면 이곳에 확인서 미리보기가 나타납니다.</source>
        <translation>Fill in what is missing on the Engagement and KPI tabs and save: the certificate&apos;s preview appears here.</translation>
    </message>
    <message>
        <source>초안 / DRAFT: 중앙추진본부가 발급하기 전의 확인서입니다. 공식 확인서로 쓸 수 없습니다.</source>
        <translation>DRAFT: not yet issued by the central office; it cannot be used as an official certificate.</translation>
    </message>
    <message>
        <source>저장…</source>
        <translation>Save…</translation>
    </message>
    <message>
        <source>열기</source>
        <translation>Open</translation>
    </message>
    <message>
        <source>데이터 폴더의 certificates 폴더에 저장하고 PDF 뷰어로 엽니다</source>
        <translation>Saves it in the certificates folder of the data folder and opens it in the PDF viewer</translation>
    </message>
    <message>
        <source>인쇄…</source>
        <translation>Print…</translation>
    </message>
    <message>
        <source>발급 요청</source>
        <translation>Request issue</translation>
    </message>
    <message>
        <source>정정 발급</source>
        <translation>Issue correction</translation>
    </message>
    <message>
        <source>참여 차수를 고르면 확인서를 볼 수 있습니다.</source>
        <translation>Choose a programme year to see its certificate.</translation>
    </message>
    <message>
        <source>참여 차수를 고르거나 새 참여를 저장하면 확인서를 볼 수 있습니다.</source>
        <translation>Choose a programme year, or save the new engagement, to see its certificate.</translation>
    </message>
    <message>
        <source>바뀐 내용으로 다시 만드는 중…</source>
        <translation>Remaking it with the changes…</translation>
    </message>
    <message>
        <source>확인서를 만드는 중…</source>
        <translation>Making the certificate…</translation>
    </message>
    <message>
        <source>확인서를 만들지 못했습니다: %1</source>
        <translation>The certificate could not be made: %1</translation>
    </message>
    <message>
        <source>%1 %2차년도: 아직 확인서를 만들 수 없습니다. 빠진 것 %3가지:</source>
        <translation>%1, year %2: no certificate can be made yet. Missing (%3):</translation>
    </message>
    <message>
        <source>%1 %2차년도 개선 확인서 · 번호 %3 · %4쪽</source>
        <translation>%1, year %2: certificate of improvement · no. %3 · %4 page(s)</translation>
    </message>
    <message>
        <source>확인서 %1이(가) 발급되었지만 이 컴퓨터의 기록이 확인된 값과 달라 초안만 인쇄할 수 있습니다. 동기화 페이지에서 남은 변경을 확인하세요.</source>
        <translation>Certificate %1 was issued, but this computer&apos;s records differ from the certified values, so only a draft can be printed. Check the changes left on the Sync page.</translation>
    </message>
    <message>
        <source>확인서 저장</source>
        <translation>Save the certificate</translation>
    </message>
    <message>
        <source>PDF 문서 (*.pdf)</source>
        <translation>PDF documents (*.pdf)</translation>
    </message>
    <message>
        <source>저장하지 못했습니다: %1</source>
        <translation>Could not save: %1</translation>
    </message>
    <message>
        <source>저장했습니다: %1</source>
        <translation>Saved: %1</translation>
    </message>
    <message>
        <source>PDF를 열 프로그램을 찾지 못했습니다. 파일은 여기 있습니다: %1</source>
        <translation>No program to open PDFs was found. The file is here: %1</translation>
    </message>
    <message>
        <source>열었습니다: %1</source>
        <translation>Opened: %1</translation>
    </message>
    <message>
        <source>동기화 페이지에서 먼저 로그인해 동기화하세요. 발급 요청은 저장된 로그인으로 보냅니다.</source>
        <translation>Log in and sync on the Sync page first: the request is sent with the saved login.</translation>
    </message>
    <message>
        <source>발급된 확인서입니다: %1</source>
        <translation>Already issued: %1</translation>
    </message>
    <message>
        <source>중앙추진본부에 확인서 발급을 요청합니다 (먼저 동기화합니다): %1</source>
        <translation>Asks the central office to issue the certificate (syncs first): %1</translation>
    </message>
    <message>
        <source>발급된 확인서 %1의 확인된 값이 이 컴퓨터에서 바뀌었습니다. 바뀐 값을 정정으로 보내 다음 판을 발급받습니다: %2</source>
        <translation>Certified values of the issued certificate %1 were changed on this computer. Sends the changes as a correction and gets the next version issued: %2</translation>
    </message>
    <message>
        <source>정정 발급을 요청하는 중… (동기화 포함)</source>
        <translation>Requesting a corrected certificate… (syncing too)</translation>
    </message>
    <message>
        <source>발급을 요청하는 중… (동기화 포함)</source>
        <translation>Requesting the certificate… (syncing too)</translation>
    </message>
    <message>
        <source>발급받았습니다: 확인서 %1 제%2판</source>
        <translation>Issued: certificate %1, version %2</translation>
    </message>
    <message>
        <source>발급받지 못했습니다: %1</source>
        <translation>Not issued: %1</translation>
    </message>
    <message>
        <source>확인서 인쇄</source>
        <translation>Print the certificate</translation>
    </message>
    <message>
        <source>인쇄하는 중…</source>
        <translation>Printing…</translation>
    </message>
    <message>
        <source>인쇄를 취소했습니다.</source>
        <translation>Printing cancelled.</translation>
    </message>
    <message>
        <source>인쇄로 보냈습니다: %1쪽</source>
        <translation>Sent to the printer: %1 page(s)</translation>
    </message>
    <message>
        <source>인쇄하지 못했습니다: %1</source>
        <translation>Could not print: %1</translation>
    </message>
</context>
<context>
    <name>CertificatesPage</name>
    <message>
        <source>발급 가능</source>
        <translation>Ready</translation>
    </message>
    <message>
        <source>%1차년도</source>
        <translation>Year %1</translation>
    </message>
    <message>
        <source>기업</source>
        <translation>Company</translation>
    </message>
    <message>
        <source>사업자등록번호</source>
        <translation>Business reg. no.</translation>
    </message>
    <message>
        <source>차수</source>
        <translation>Year</translation>
    </message>
    <message>
        <source>후원기업</source>
        <translation>Sponsor</translation>
    </message>
    <message>
        <source>컨설턴트</source>
        <translation>Consultant</translation>
    </message>
    <message>
        <source>상태</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>확인서 일괄 발급</source>
        <translation>Certificates in batch</translation>
    </message>
    <message>
        <source>참여 차수</source>
        <translation>Programme year</translation>
    </message>
    <message>
        <source>합본 PDF도 저장</source>
        <translation>Also save a merged PDF</translation>
    </message>
    <message>
        <source>모든 확인서를 한 파일로 합쳐 한 번에 인쇄할 수 있게 합니다</source>
        <translation>Puts every certificate into one file, to print them all at once</translation>
    </message>
    <message>
        <source>발급 가능한 확인서 모두 저장…</source>
        <translation>Save every ready certificate…</translation>
    </message>
    <message>
        <source>폴더 열기</source>
        <translation>Open the folder</translation>
    </message>
    <message>
        <source>결과</source>
        <translation>Result</translation>
    </message>
    <message>
        <source>조건에 맞는 참여 가운데 확인서에 필요한 값이 모두 있는 참여의 확인서(초안)를 한 기업에 한 파일씩 저장합니다. 값이 빠진 참여는 건너뛰고 그 이유를 알려 줍니다.</source>
        <translation>Saves a (draft) certificate, one file per company, for every engagement matching the filters that has everything a certificate needs. Engagements with missing values are skipped, with the reason.</translation>
    </message>
    <message>
        <source>아직 저장한 확인서가 없습니다.</source>
        <translation>No certificates saved yet.</translation>
    </message>
    <message>
        <source>불러오는 중…</source>
        <translation>Loading…</translation>
    </message>
    <message>
        <source>목록을 불러오지 못했습니다: %1</source>
        <translation>The list could not be loaded: %1</translation>
    </message>
    <message>
        <source>전체 차수</source>
        <translation>All years</translation>
    </message>
    <message>
        <source>전체 후원기업</source>
        <translation>All sponsors</translation>
    </message>
    <message>
        <source>전체 컨설턴트</source>
        <translation>All consultants</translation>
    </message>
    <message>
        <source>참여 %1건 중 발급 가능 %2건</source>
        <translation>%2 of %1 engagements ready</translation>
    </message>
    <message>
        <source>확인서를 저장할 폴더</source>
        <translation>Folder for the certificates</translation>
    </message>
    <message>
        <source>확인서_합본_%1.pdf</source>
        <translation>certificates_merged_%1.pdf</translation>
    </message>
    <message>
        <source>확인서를 만드는 중…</source>
        <translation>Making the certificates…</translation>
    </message>
    <message>
        <source>취소했습니다. 취소하기 전에 확인서 %1건을 저장했습니다: %2</source>
        <translation>Cancelled. %1 certificate(s) were saved before: %2</translation>
    </message>
    <message>
        <source>조건에 맞는 참여가 없습니다.</source>
        <translation>No engagement matches the filters.</translation>
    </message>
    <message>
        <source>확인서 %1건을 저장했습니다: %2</source>
        <translation>%1 certificate(s) saved: %2</translation>
    </message>
    <message>
        <source>합본 PDF: %1</source>
        <translation>Merged PDF: %1</translation>
    </message>
    <message>
        <source>건너뜀 %1건: 확인서에 필요한 값이 빠졌습니다 (아래 목록).</source>
        <translation>Skipped %1: missing what a certificate needs (list below).</translation>
    </message>
    <message>
        <source>확인서를 저장하지 못했습니다: %1</source>
        <translation>The certificates could not be saved: %1</translation>
    </message>
</context>
<context>
    <name>CompaniesPage</name>
    <message>
        <source>기업명, 사업자등록번호, 후원기업, 지역으로 찾기</source>
        <translation>Search by name, business registration number, sponsor or region</translation>
    </message>
    <message>
        <source>새 기업</source>
        <translation>New company</translation>
    </message>
    <message>
        <source>모든 상태</source>
        <translation>All statuses</translation>
    </message>
    <message>
        <source>차수</source>
        <translation>Programme year</translation>
    </message>
    <message>
        <source>상태</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>후원기업</source>
        <translation>Sponsor</translation>
    </message>
    <message>
        <source>기업 목록을 읽지 못했습니다: %1</source>
        <translation>Could not read the company list: %1</translation>
    </message>
    <message>
        <source>모든 차수</source>
        <translation>All years</translation>
    </message>
    <message>
        <source>%1차년도</source>
        <translation>Year %1</translation>
    </message>
    <message>
        <source>모든 후원기업</source>
        <translation>All sponsors</translation>
    </message>
    <message>
        <source>불러오는 중…</source>
        <translation>Loading…</translation>
    </message>
    <message>
        <source>등록된 기업이 없습니다. &apos;새 기업&apos;으로 추가하거나 파일에서 가져오세요.</source>
        <translation>No companies yet. Add one with &apos;New company&apos; or import them from a file.</translation>
    </message>
    <message>
        <source>기업 %1개</source>
        <translation>Companies: %1</translation>
    </message>
    <message>
        <source>기업 %1개 중 %2개</source>
        <translation>Companies: %2 of %1</translation>
    </message>
</context>
<context>
    <name>CompanyForm</name>
    <message>
        <source>제조업</source>
        <translation>Manufacturing</translation>
    </message>
    <message>
        <source>비제조업</source>
        <translation>Non-manufacturing</translation>
    </message>
    <message>
        <source>%1차 협력사</source>
        <translation>Tier %1 supplier</translation>
    </message>
    <message>
        <source>목록에 없는 이름을 입력하면 새 후원기업으로 등록됩니다.</source>
        <translation>Type a name that is not in the list to add a new sponsor.</translation>
    </message>
    <message>
        <source>저장</source>
        <translation>Save</translation>
    </message>
    <message>
        <source>변경 취소</source>
        <translation>Discard changes</translation>
    </message>
    <message>
        <source>기업 삭제</source>
        <translation>Delete company</translation>
    </message>
    <message>
        <source>저장했습니다.</source>
        <translation>Saved.</translation>
    </message>
    <message>
        <source>&apos;%1&apos; 기업과 참여 기록 %2건을 삭제할까요? 삭제는 동기화 때 중앙에도 반영됩니다.</source>
        <translation>Delete the company &apos;%1&apos; and its engagement records (%2)? The deletion also reaches the central office at the next sync.</translation>
    </message>
</context>
<context>
    <name>CompanyTableModel</name>
    <message>
        <source>%1차</source>
        <translation>Year %1</translation>
    </message>
    <message>
        <source>사업자등록번호</source>
        <translation>Business reg. no.</translation>
    </message>
    <message>
        <source>기업명</source>
        <translation>Company name</translation>
    </message>
    <message>
        <source>후원기업</source>
        <translation>Sponsor</translation>
    </message>
    <message>
        <source>지역</source>
        <translation>Region</translation>
    </message>
    <message>
        <source>업종</source>
        <translation>Industry</translation>
    </message>
    <message>
        <source>참여 횟수</source>
        <translation>Years</translation>
    </message>
    <message>
        <source>최근 차수</source>
        <translation>Latest year</translation>
    </message>
    <message>
        <source>최근 상태</source>
        <translation>Latest status</translation>
    </message>
</context>
<context>
    <name>Controller</name>
    <message>
        <source>자동 백업했습니다: %1</source>
        <translation>Backed up automatically: %1</translation>
    </message>
    <message>
        <source>자동 백업하지 못했습니다: %1</source>
        <translation>The automatic backup failed: %1</translation>
    </message>
    <message>
        <source>복원 실패</source>
        <translation>Restore failed</translation>
    </message>
    <message>
        <source>이 앱의 데이터 파일이 아니라서 복원하지 않았습니다: %1</source>
        <translation>Not a data file of this app, nothing was restored: %1</translation>
    </message>
    <message>
        <source>복원</source>
        <translation>Restore</translation>
    </message>
    <message>
        <source>진행 중인 작업이 끝난 뒤에 복원하세요.</source>
        <translation>Restore once the running task has finished.</translation>
    </message>
    <message>
        <source>백업을 검사하고 복원하는 중…</source>
        <translation>Checking the backup and restoring…</translation>
    </message>
    <message>
        <source>복원했습니다: %1 (복원 전 파일의 백업: %2)</source>
        <translation>Restored: %1 (the previous file was backed up to %2)</translation>
    </message>
    <message>
        <source>복원했습니다: %1</source>
        <translation>Restored: %1</translation>
    </message>
</context>
<context>
    <name>DashboardCharts</name>
    <message>
        <source>자료 없음</source>
        <translation>No data</translation>
    </message>
    <message>
        <source>기업별 KPI 평균 개선율</source>
        <translation>Average KPI improvement by company</translation>
    </message>
    <message>
        <source>평균 개선율 (%)</source>
        <translation>Average improvement (%)</translation>
    </message>
    <message>
        <source>기업 (개선율 순)</source>
        <translation>Companies (by improvement)</translation>
    </message>
    <message>
        <source>차수별 신규 채용</source>
        <translation>New hires by programme year</translation>
    </message>
    <message>
        <source>신규 채용 (명)</source>
        <translation>New hires (people)</translation>
    </message>
    <message>
        <source>참여 차수</source>
        <translation>Programme year</translation>
    </message>
    <message>
        <source>차수별 재무적 효과</source>
        <translation>Financial effect by programme year</translation>
    </message>
    <message>
        <source>재무적 효과 (백만원/년)</source>
        <translation>Financial effect (KRW million/year)</translation>
    </message>
    <message>
        <source>기업별 KPI 평균 개선율 (기업 %1개)</source>
        <translation>Average KPI improvement by company (companies: %1)</translation>
    </message>
    <message>
        <source>재무적 효과 (억원/년)</source>
        <translation>Financial effect (KRW 100 million/year)</translation>
    </message>
    <message>
        <source>%1차년도</source>
        <translation>Year %1</translation>
    </message>
</context>
<context>
    <name>DashboardPage</name>
    <message>
        <source>계산 불가</source>
        <translation>Not computable</translation>
    </message>
    <message>
        <source>참여 건수</source>
        <translation>Engagements</translation>
    </message>
    <message>
        <source>참여 기업</source>
        <translation>Companies</translation>
    </message>
    <message>
        <source>KPI 평균 개선율</source>
        <translation>Average KPI improvement</translation>
    </message>
    <message>
        <source>재무적 효과 합계(연간)</source>
        <translation>Total financial effect per year</translation>
    </message>
    <message>
        <source>재무적 효과(참여 건당)</source>
        <translation>Effect per engagement</translation>
    </message>
    <message>
        <source>신규 채용(명)</source>
        <translation>New hires</translation>
    </message>
    <message>
        <source>스마트공장 구축 기업</source>
        <translation>Smart-factory companies</translation>
    </message>
    <message>
        <source>만족(4·5점)</source>
        <translation>Satisfied (4 or 5)</translation>
    </message>
    <message>
        <source>계속 참여 의향</source>
        <translation>Want to continue</translation>
    </message>
    <message>
        <source>추천 의향</source>
        <translation>Would recommend</translation>
    </message>
    <message>
        <source>담당 기업 성과 현황</source>
        <translation>Results of my companies</translation>
    </message>
    <message>
        <source>참여 차수</source>
        <translation>Programme year</translation>
    </message>
    <message>
        <source>후원기업</source>
        <translation>Sponsor</translation>
    </message>
    <message>
        <source>보고서 PDF로 내보내기…</source>
        <translation>Export the report as PDF…</translation>
    </message>
    <message>
        <source>고른 차수와 후원기업의 사업 성과 보고서를 PDF로 저장합니다</source>
        <translation>Saves the programme results report for the chosen year and sponsor as a PDF</translation>
    </message>
    <message>
        <source>각 수치에 마우스를 올리면 산출 방법이 보입니다.</source>
        <translation>Hover over a figure to see how it is computed.</translation>
    </message>
    <message>
        <source>계산 중…</source>
        <translation>Computing…</translation>
    </message>
    <message>
        <source>계산하지 못했습니다: %1</source>
        <translation>Could not compute: %1</translation>
    </message>
    <message>
        <source>전체 차수</source>
        <translation>All years</translation>
    </message>
    <message>
        <source>%1차년도</source>
        <translation>Year %1</translation>
    </message>
    <message>
        <source>전체 후원기업</source>
        <translation>All sponsors</translation>
    </message>
    <message>
        <source>참여 %1건 기준</source>
        <translation>Based on %1 engagements</translation>
    </message>
    <message>
        <source>산업혁신운동_성과보고_%1.pdf</source>
        <translation>IIM_programme_results_%1.pdf</translation>
    </message>
    <message>
        <source>보고서 PDF 저장</source>
        <translation>Save the report PDF</translation>
    </message>
    <message>
        <source>PDF 문서 (*.pdf)</source>
        <translation>PDF documents (*.pdf)</translation>
    </message>
    <message>
        <source>보고서 PDF</source>
        <translation>Report PDF</translation>
    </message>
    <message>
        <source>보고서를 만드는 중: %1</source>
        <translation>Making the report: %1</translation>
    </message>
    <message>
        <source>보고서 내보내기를 취소했습니다.</source>
        <translation>Report export cancelled.</translation>
    </message>
    <message>
        <source>보고서를 저장했습니다:
%1

지금 열어 볼까요?</source>
        <translation>The report was saved:
%1

Open it now?</translation>
    </message>
    <message>
        <source>보고서를 저장하지 못했습니다: %1</source>
        <translation>The report could not be saved: %1</translation>
    </message>
</context>
<context>
    <name>DataPage</name>
    <message>
        <source>엑셀·CSV 파일에서 가져오기…</source>
        <translation>Import Excel or CSV…</translation>
    </message>
    <message>
        <source>CSV 폴더에서 가져오기…</source>
        <translation>Import CSV folder…</translation>
    </message>
    <message>
        <source>문제 있는 행은 건너뛰고 나머지는 저장</source>
        <translation>Skip rows with problems and save the others</translation>
    </message>
    <message>
        <source>가져오기</source>
        <translation>Import</translation>
    </message>
    <message>
        <source>사업단 양식의 CSV 파일이 든 폴더나 엑셀(.xlsx) 파일에서 기업·참여·KPI·만족도 자료를 가져옵니다. 이미 있는 자료는 바뀐 값만 고칩니다. 오류가 하나라도 있으면 기본적으로 아무것도 저장하지 않습니다.</source>
        <translation>Imports companies, engagements, KPIs and surveys from a folder of CSV files or an Excel (.xlsx) workbook in the programme office&apos;s format. Existing records get only the values that changed. By default, a single error means nothing is saved.</translation>
    </message>
    <message>
        <source>엑셀 파일로 내보내기…</source>
        <translation>Export to Excel…</translation>
    </message>
    <message>
        <source>CSV 폴더로 내보내기…</source>
        <translation>Export to CSV folder…</translation>
    </message>
    <message>
        <source>형식: 사무국 양식(한글)</source>
        <translation>Form: office sheets (Korean)</translation>
    </message>
    <message>
        <source>형식: 원본 코드(영문)</source>
        <translation>Form: original codes (English)</translation>
    </message>
    <message>
        <source>사무국 양식: 한글 머리글과 낱말, 예/아니오, 123-45-67890. 원본 코드: 영문 머리글과 코드. 어느 쪽이든 그대로 다시 가져올 수 있습니다.</source>
        <translation>Office sheets: Korean headers and words, yes/no in Korean, 123-45-67890. Original codes: English headers and codes. Either can be imported again as it is.</translation>
    </message>
    <message>
        <source>내보내기</source>
        <translation>Export</translation>
    </message>
    <message>
        <source>모든 자료를 사업단 양식으로 내보냅니다. 내보낸 파일은 고친 뒤 그대로 다시 가져올 수 있습니다.</source>
        <translation>Exports all records in the programme office&apos;s format. The exported files can be edited and imported again as they are.</translation>
    </message>
    <message>
        <source>결과</source>
        <translation>Result</translation>
    </message>
    <message>
        <source>선택한 백업으로 복원…</source>
        <translation>Restore selected…</translation>
    </message>
    <message>
        <source>백업 폴더 열기</source>
        <translation>Open backups folder</translation>
    </message>
    <message>
        <source>만든 때</source>
        <translation>Made</translation>
    </message>
    <message>
        <source>종류</source>
        <translation>Kind</translation>
    </message>
    <message>
        <source>크기</source>
        <translation>Size</translation>
    </message>
    <message>
        <source>파일</source>
        <translation>File</translation>
    </message>
    <message>
        <source>백업·복원</source>
        <translation>Backup and restore</translation>
    </message>
    <message>
        <source>지금 백업…</source>
        <translation>Back up now…</translation>
    </message>
    <message>
        <source>지금 백업은 데이터 파일과 사진·문서를 한 파일(zip)로 고른 폴더(USB 등)에 저장합니다. 자동 백업은 매일, 동기화 후, 끝낼 때 backups 폴더에 합니다(최근 10개). 복원하면 백업 이후의 변경은 사라집니다. 복원 전에 백업을 모두 검사하고 지금 파일을 자동으로 백업합니다.</source>
        <translation>Back up now writes the data file with its photos and documents as one file (zip) into a folder you choose (a USB stick). Automatic backups go to the backups folder daily, after a sync and when you quit (the last 10 are kept). Restoring loses the changes made since the backup; the backup is checked whole first and the current file is backed up automatically.</translation>
    </message>
    <message>
        <source>현재 자료: %1</source>
        <translation>Records now: %1</translation>
    </message>
    <message>
        <source>직접 백업</source>
        <translation>Manual</translation>
    </message>
    <message>
        <source>직접 백업 (데이터 파일만)</source>
        <translation>Manual (data file only)</translation>
    </message>
    <message>
        <source>매일</source>
        <translation>daily</translation>
    </message>
    <message>
        <source>동기화 후</source>
        <translation>after a sync</translation>
    </message>
    <message>
        <source>끝낼 때</source>
        <translation>at quit</translation>
    </message>
    <message>
        <source>자동 백업 (%1)</source>
        <translation>Automatic (%1)</translation>
    </message>
    <message>
        <source>복원 전 자동 백업</source>
        <translation>Automatic, before a restore</translation>
    </message>
    <message>
        <source>업그레이드 전 자동 백업</source>
        <translation>Automatic, before an upgrade</translation>
    </message>
    <message>
        <source>자동 백업</source>
        <translation>Automatic</translation>
    </message>
    <message>
        <source>가져올 파일</source>
        <translation>File to import</translation>
    </message>
    <message>
        <source>엑셀 또는 CSV (*.xlsx *.csv);;모든 파일 (*)</source>
        <translation>Excel or CSV (*.xlsx *.csv);;All files (*)</translation>
    </message>
    <message>
        <source>가져오는 중: %1</source>
        <translation>Importing: %1</translation>
    </message>
    <message>
        <source>CSV 파일이 든 폴더</source>
        <translation>Folder with the CSV files</translation>
    </message>
    <message>
        <source>가져왔습니다: %1</source>
        <translation>Imported: %1</translation>
    </message>
    <message>
        <source>바뀐 내용이 없어 저장하지 않았습니다: %1</source>
        <translation>Nothing changed, nothing was saved: %1</translation>
    </message>
    <message>
        <source>%1: 새로 %2건, 변경 %3건</source>
        <translation>%1: %2 created, %3 updated</translation>
    </message>
    <message>
        <source>변경 없음: %1행</source>
        <translation>Unchanged: %1 rows</translation>
    </message>
    <message>
        <source>오류가 있는 %1건은 건너뛰었습니다. 아래 목록을 확인하세요.</source>
        <translation>%1 rows with errors were skipped; see the list below.</translation>
    </message>
    <message>
        <source>가져오기를 취소했습니다. 아무것도 저장하지 않았습니다.</source>
        <translation>The import was cancelled; nothing was saved.</translation>
    </message>
    <message>
        <source>오류가 %1건 있어 아무것도 저장하지 않았습니다: %2. 고친 뒤 다시 가져오거나 &apos;문제 있는 행은 건너뛰고 나머지는 저장&apos;을 켜세요.</source>
        <translation>%1 error(s), so nothing was saved: %2. Fix them and import again, or turn on &apos;Skip rows with problems and save the others&apos;.</translation>
    </message>
    <message>
        <source>파일 작업에 실패했습니다: %1</source>
        <translation>A file operation failed: %1</translation>
    </message>
    <message>
        <source>예기치 않은 오류: %1</source>
        <translation>Unexpected error: %1</translation>
    </message>
    <message>
        <source>내보낼 엑셀 파일</source>
        <translation>Excel file to export to</translation>
    </message>
    <message>
        <source>엑셀 통합 문서 (*.xlsx)</source>
        <translation>Excel workbook (*.xlsx)</translation>
    </message>
    <message>
        <source>내보내는 중: %1</source>
        <translation>Exporting: %1</translation>
    </message>
    <message>
        <source>CSV 파일을 저장할 폴더</source>
        <translation>Folder to save the CSV files in</translation>
    </message>
    <message>
        <source>내보냈습니다: %1</source>
        <translation>Exported: %1</translation>
    </message>
    <message>
        <source>%1: %2행</source>
        <translation>%1: %2 rows</translation>
    </message>
    <message>
        <source>백업을 저장할 폴더 (USB 등)</source>
        <translation>Folder for the backup (e.g. a USB stick)</translation>
    </message>
    <message>
        <source>백업하는 중: %1</source>
        <translation>Backing up to %1</translation>
    </message>
    <message>
        <source>백업 파일 (*.zip *.sqlite3);;모든 파일 (*)</source>
        <translation>Backups (*.zip *.sqlite3);;All files (*)</translation>
    </message>
    <message>
        <source>백업했습니다: %1</source>
        <translation>Backed up to: %1</translation>
    </message>
    <message>
        <source>데이터 파일과 첨부 파일 %1개, %2</source>
        <translation>The data file and %1 attachment file(s), %2</translation>
    </message>
    <message>
        <source>이 노트북에 아직 없는 첨부 파일 %1개는 들어 있지 않습니다 (동기화로 받은 뒤 다시 백업하세요).</source>
        <translation>%1 attachment file(s) this laptop has not received yet are not in it (sync, then back up again).</translation>
    </message>
    <message>
        <source>이미 손상된 첨부 파일 %1개는 표시해 두었고 복원하지 않습니다.</source>
        <translation>%1 attachment file(s) were already damaged here; they are marked and will not be restored.</translation>
    </message>
    <message>
        <source>복원할 백업</source>
        <translation>Backup to restore</translation>
    </message>
    <message>
        <source>백업으로 복원</source>
        <translation>Restore a backup</translation>
    </message>
    <message>
        <source>%1 백업으로 되돌릴까요?

이 백업 이후에 바뀐 내용은 모두 사라집니다. 지금 파일은 복원 전에 자동으로 백업합니다.</source>
        <translation>Go back to the backup %1?

Everything changed after this backup will be lost. The current file is backed up automatically before the restore.</translation>
    </message>
</context>
<context>
    <name>EngagementForm</name>
    <message>
        <source>1단계 (2013–2018 상반기)</source>
        <translation>Phase 1 (2013 – H1 2018)</translation>
    </message>
    <message>
        <source>2단계 (2018 하반기–)</source>
        <translation>Phase 2 (H2 2018 –)</translation>
    </message>
    <message>
        <source>진행 상태</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>담당 컨설턴트</source>
        <translation>Consultant</translation>
    </message>
    <message>
        <source>%1차년도</source>
        <translation>Year %1</translation>
    </message>
    <message>
        <source>참여 정보는 기업 정보를 먼저 저장한 뒤에 입력할 수 있습니다.</source>
        <translation>Save the company first; then you can enter its engagement.</translation>
    </message>
    <message>
        <source>저장</source>
        <translation>Save</translation>
    </message>
    <message>
        <source>변경 취소</source>
        <translation>Discard changes</translation>
    </message>
    <message>
        <source>참여 기록 삭제</source>
        <translation>Delete engagement</translation>
    </message>
    <message>
        <source>저장했습니다.</source>
        <translation>Saved.</translation>
    </message>
    <message>
        <source>%1차년도 참여 기록과 그 KPI, 방문, 성과 기록을 삭제할까요?</source>
        <translation>Delete the year %1 engagement with its KPIs, visits and outcomes?</translation>
    </message>
</context>
<context>
    <name>EvidencePanel</name>
    <message>
        <source>파일 첨부…</source>
        <translation>Attach files…</translation>
    </message>
    <message>
        <source>열기</source>
        <translation>Open</translation>
    </message>
    <message>
        <source>첨부 삭제</source>
        <translation>Delete attachment</translation>
    </message>
    <message>
        <source>증빙 자료 (사진·문서, 파일을 여기로 끌어다 놓아도 됩니다)</source>
        <translation>Evidence (photos and documents; you can also drop files here)</translation>
    </message>
    <message>
        <source>첨부 대상</source>
        <translation>Attach to</translation>
    </message>
    <message>
        <source>참여 전체</source>
        <translation>Whole engagement</translation>
    </message>
    <message>
        <source>선택한 방문 (%1)</source>
        <translation>Selected visit (%1)</translation>
    </message>
    <message>
        <source>첨부할 파일</source>
        <translation>Files to attach</translation>
    </message>
    <message>
        <source>사진·문서 (*.png *.jpg *.jpeg *.gif *.bmp *.webp *.pdf *.hwp *.hwpx *.docx *.xlsx *.pptx *.txt);;모든 파일 (*)</source>
        <translation>Photos and documents (*.png *.jpg *.jpeg *.gif *.bmp *.webp *.pdf *.hwp *.hwpx *.docx *.xlsx *.pptx *.txt);;All files (*)</translation>
    </message>
    <message>
        <source>첨부하지 못했습니다: %1</source>
        <translation>Could not attach: %1</translation>
    </message>
    <message>
        <source>이 컴퓨터에 파일이 없습니다: %1</source>
        <translation>The file is not on this computer: %1</translation>
    </message>
    <message>
        <source>첨부 파일 %1을(를) 삭제할까요?</source>
        <translation>Delete the attachment %1?</translation>
    </message>
</context>
<context>
    <name>FieldEdit</name>
    <message>
        <source>%1 수정</source>
        <translation>Edit %1</translation>
    </message>
</context>
<context>
    <name>InlineProgress</name>
    <message>
        <source>취소</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>취소하는 중…</source>
        <translation>Cancelling…</translation>
    </message>
</context>
<context>
    <name>KpiDetails</name>
    <message>
        <source>표에서 KPI를 고르면 계산식과 값이 여기에 나옵니다.</source>
        <translation>Pick a KPI in the table to see its formulas and values here.</translation>
    </message>
    <message>
        <source>%1 · 분류 %2 · 단위 %3 · %4</source>
        <translation>%1 · category %2 · unit %3 · %4</translation>
    </message>
    <message>
        <source>B 기준값 %1 · T 목표값 %2 · A 개선값 %3</source>
        <translation>B baseline %1 · T target %2 · A post value %3</translation>
    </message>
    <message>
        <source>개선율 = %1</source>
        <translation>Improvement = %1</translation>
    </message>
    <message>
        <source>목표 달성률 = %1</source>
        <translation>Target achievement = %1</translation>
    </message>
    <message>
        <source>변화 = %1</source>
        <translation>Change = %1</translation>
    </message>
</context>
<context>
    <name>KpiPickerDialog</name>
    <message>
        <source>생산성</source>
        <translation>Productivity</translation>
    </message>
    <message>
        <source>품질</source>
        <translation>Quality</translation>
    </message>
    <message>
        <source>원가</source>
        <translation>Cost</translation>
    </message>
    <message>
        <source>납기</source>
        <translation>Delivery</translation>
    </message>
    <message>
        <source>안전</source>
        <translation>Safety</translation>
    </message>
    <message>
        <source>사기·의식</source>
        <translation>Morale</translation>
    </message>
    <message>
        <source>낮을수록 좋음</source>
        <translation>Lower is better</translation>
    </message>
    <message>
        <source>높을수록 좋음</source>
        <translation>Higher is better</translation>
    </message>
    <message>
        <source>KPI 추가</source>
        <translation>Add KPIs</translation>
    </message>
    <message>
        <source>이름이나 코드로 찾기</source>
        <translation>Search by name or code</translation>
    </message>
    <message>
        <source>지표</source>
        <translation>KPI</translation>
    </message>
    <message>
        <source>영문 이름</source>
        <translation>English name</translation>
    </message>
    <message>
        <source>분류</source>
        <translation>Category</translation>
    </message>
    <message>
        <source>단위</source>
        <translation>Unit</translation>
    </message>
    <message>
        <source>방향</source>
        <translation>Direction</translation>
    </message>
    <message>
        <source>코드</source>
        <translation>Code</translation>
    </message>
</context>
<context>
    <name>KpiTab</name>
    <message>
        <source>먼저 위의 참여 차수에서 참여를 고르거나 &apos;새 참여…&apos;로 만드세요.</source>
        <translation>First pick an engagement under Programme year above, or create one with &apos;New engagement…&apos;.</translation>
    </message>
    <message>
        <source>KPI 추가…</source>
        <translation>Add KPIs…</translation>
    </message>
    <message>
        <source>선택한 KPI 삭제</source>
        <translation>Delete selected KPIs</translation>
    </message>
    <message>
        <source>저장 취소</source>
        <translation>Discard changes</translation>
    </message>
    <message>
        <source>저장</source>
        <translation>Save</translation>
    </message>
    <message>
        <source>저장하지 않았습니다: 빨간 칸의 오류를 고치세요 (칸에 마우스를 올리면 이유가 보입니다).</source>
        <translation>Not saved: fix the errors in the red cells (hover over a cell to see why).</translation>
    </message>
    <message>
        <source>저장했습니다.</source>
        <translation>Saved.</translation>
    </message>
    <message>
        <source>KPI 삭제</source>
        <translation>Delete KPIs</translation>
    </message>
    <message>
        <source>다음 KPI와 그 값을 삭제할까요? %1
저장하면 삭제가 기록됩니다.</source>
        <translation>Delete these KPIs and their values? %1
The deletion is recorded when you save.</translation>
    </message>
    <message>
        <source>기준</source>
        <translation>Baseline</translation>
    </message>
    <message>
        <source>목표</source>
        <translation>Target</translation>
    </message>
    <message>
        <source>개선</source>
        <translation>Post</translation>
    </message>
    <message>
        <source>없음</source>
        <translation>Not set</translation>
    </message>
    <message>
        <source>기준값</source>
        <translation>Baseline</translation>
    </message>
    <message>
        <source>목표값</source>
        <translation>Target</translation>
    </message>
    <message>
        <source>개선값</source>
        <translation>Post value</translation>
    </message>
    <message>
        <source>%1차년도</source>
        <translation>Year %1</translation>
    </message>
    <message>
        <source>%1 연도별 추이</source>
        <translation>%1 by year</translation>
    </message>
</context>
<context>
    <name>KpiTableModel</name>
    <message>
        <source>KPI</source>
        <translation>KPI</translation>
    </message>
    <message>
        <source>단위</source>
        <translation>Unit</translation>
    </message>
    <message>
        <source>기준값</source>
        <translation>Baseline</translation>
    </message>
    <message>
        <source>기준일</source>
        <translation>Baseline date</translation>
    </message>
    <message>
        <source>기준 분자</source>
        <translation>Numerator</translation>
    </message>
    <message>
        <source>기준 분모</source>
        <translation>Denominator</translation>
    </message>
    <message>
        <source>목표값</source>
        <translation>Target</translation>
    </message>
    <message>
        <source>개선값</source>
        <translation>Post value</translation>
    </message>
    <message>
        <source>개선 측정일</source>
        <translation>Post date</translation>
    </message>
    <message>
        <source>개선율</source>
        <translation>Improvement</translation>
    </message>
    <message>
        <source>변화(%p)</source>
        <translation>Change (pp)</translation>
    </message>
    <message>
        <source>목표 달성률</source>
        <translation>Achievement</translation>
    </message>
    <message>
        <source>%1%p</source>
        <translation>%1 pp</translation>
    </message>
    <message>
        <source>%1%</source>
        <translation>%1%</translation>
    </message>
    <message>
        <source>단위: %1</source>
        <translation>Unit: %1</translation>
    </message>
    <message>
        <source>KPI 값 입력</source>
        <translation>Edit KPI value</translation>
    </message>
    <message>
        <source>KPI 추가</source>
        <translation>Add KPIs</translation>
    </message>
    <message>
        <source>KPI 삭제</source>
        <translation>Delete KPIs</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>기업 목록</source>
        <translation>Companies</translation>
    </message>
    <message>
        <source>참여 기업</source>
        <translation>Company</translation>
    </message>
    <message>
        <source>대시보드</source>
        <translation>Dashboard</translation>
    </message>
    <message>
        <source>확인서 일괄 발급</source>
        <translation>Certificates in batch</translation>
    </message>
    <message>
        <source>가져오기·내보내기</source>
        <translation>Import and export</translation>
    </message>
    <message>
        <source>동기화</source>
        <translation>Sync</translation>
    </message>
    <message>
        <source>설정</source>
        <translation>Settings</translation>
    </message>
    <message>
        <source>산업혁신운동 컨설턴트</source>
        <translation>Industrial Innovation Movement Consultant</translation>
    </message>
    <message>
        <source>저장하지 않은 변경</source>
        <translation>Unsaved changes</translation>
    </message>
    <message>
        <source>저장하지 않은 변경이 있습니다. 저장할까요?</source>
        <translation>There are unsaved changes. Save them?</translation>
    </message>
    <message>
        <source>파일(&amp;F)</source>
        <translation>&amp;File</translation>
    </message>
    <message>
        <source>새 기업(&amp;N)</source>
        <translation>&amp;New company</translation>
    </message>
    <message>
        <source>가져오기(&amp;I)…</source>
        <translation>&amp;Import…</translation>
    </message>
    <message>
        <source>내보내기(&amp;E)…</source>
        <translation>&amp;Export…</translation>
    </message>
    <message>
        <source>백업(&amp;B)</source>
        <translation>&amp;Back up</translation>
    </message>
    <message>
        <source>복원(&amp;R)…</source>
        <translation>&amp;Restore…</translation>
    </message>
    <message>
        <source>저장(&amp;S)</source>
        <translation>&amp;Save</translation>
    </message>
    <message>
        <source>끝내기(&amp;Q)</source>
        <translation>&amp;Quit</translation>
    </message>
    <message>
        <source>편집(&amp;E)</source>
        <translation>&amp;Edit</translation>
    </message>
    <message>
        <source>실행 취소</source>
        <translation>Undo</translation>
    </message>
    <message>
        <source>다시 실행</source>
        <translation>Redo</translation>
    </message>
    <message>
        <source>보기(&amp;V)</source>
        <translation>&amp;View</translation>
    </message>
    <message>
        <source>언어(&amp;L)</source>
        <translation>&amp;Language</translation>
    </message>
    <message>
        <source>도움말(&amp;H)</source>
        <translation>&amp;Help</translation>
    </message>
    <message>
        <source>정보</source>
        <translation>About</translation>
    </message>
    <message>
        <source>데이터: %1</source>
        <translation>Data: %1</translation>
    </message>
    <message>
        <source>동기화 대기: %1건</source>
        <translation>Waiting to sync: %1</translation>
    </message>
    <message>
        <source>직접</source>
        <translation>manual</translation>
    </message>
    <message>
        <source>자동</source>
        <translation>automatic</translation>
    </message>
    <message>
        <source>마지막 백업: %1 (%2)</source>
        <translation>Last backup: %1 (%2)</translation>
    </message>
    <message>
        <source>백업 없음</source>
        <translation>No backup yet</translation>
    </message>
</context>
<context>
    <name>OutcomesTab</name>
    <message>
        <source>산출 근거</source>
        <translation>Assumptions</translation>
    </message>
    <message>
        <source>없음</source>
        <translation>None</translation>
    </message>
    <message>
        <source>응답 없음</source>
        <translation>No answer</translation>
    </message>
    <message>
        <source>1 매우 불만족</source>
        <translation>1 Very dissatisfied</translation>
    </message>
    <message>
        <source>2 불만족</source>
        <translation>2 Dissatisfied</translation>
    </message>
    <message>
        <source>3 보통</source>
        <translation>3 Neutral</translation>
    </message>
    <message>
        <source>4 만족</source>
        <translation>4 Satisfied</translation>
    </message>
    <message>
        <source>5 매우 만족</source>
        <translation>5 Very satisfied</translation>
    </message>
    <message>
        <source>예</source>
        <translation>Yes</translation>
    </message>
    <message>
        <source>아니오</source>
        <translation>No</translation>
    </message>
    <message>
        <source>먼저 위의 참여 차수에서 참여를 고르거나 &apos;새 참여…&apos;로 만드세요.</source>
        <translation>First pick an engagement under Programme year above, or create one with &apos;New engagement…&apos;.</translation>
    </message>
    <message>
        <source>원</source>
        <translation>KRW</translation>
    </message>
    <message>
        <source>재무적 효과 (연간)</source>
        <translation>Financial effect (per year)</translation>
    </message>
    <message>
        <source>내역 합계</source>
        <translation>Breakdown total</translation>
    </message>
    <message>
        <source>고용·스마트공장</source>
        <translation>Jobs and smart factory</translation>
    </message>
    <message>
        <source>명</source>
        <translation>people</translation>
    </message>
    <message>
        <source>기업 만족도 조사</source>
        <translation>Satisfaction survey</translation>
    </message>
    <message>
        <source>저장 취소</source>
        <translation>Discard changes</translation>
    </message>
    <message>
        <source>저장</source>
        <translation>Save</translation>
    </message>
    <message>
        <source>저장하지 않았습니다: 빨간 글씨로 표시된 오류를 고치세요.</source>
        <translation>Not saved: fix the errors shown in red.</translation>
    </message>
    <message>
        <source>저장했습니다.</source>
        <translation>Saved.</translation>
    </message>
    <message>
        <source>⚠ 내역 합계(%1)와 재무적 효과(%2)가 %3 차이 납니다. 확인하세요 (저장은 됩니다).</source>
        <translation>⚠ The breakdown total (%1) differs from the financial effect (%2) by %3. Please check (you can still save).</translation>
    </message>
</context>
<context>
    <name>ProblemList</name>
    <message>
        <source>오류</source>
        <translation>Error</translation>
    </message>
    <message>
        <source>경고</source>
        <translation>Warning</translation>
    </message>
    <message>
        <source>구분</source>
        <translation>Severity</translation>
    </message>
    <message>
        <source>파일</source>
        <translation>File</translation>
    </message>
    <message>
        <source>행</source>
        <translation>Row</translation>
    </message>
    <message>
        <source>열</source>
        <translation>Column</translation>
    </message>
    <message>
        <source>내용</source>
        <translation>Problem</translation>
    </message>
    <message>
        <source>목록 복사</source>
        <translation>Copy list</translation>
    </message>
    <message>
        <source>선택한 행(없으면 전체)을 클립보드에 복사합니다</source>
        <translation>Copies the selected rows (or all of them) to the clipboard</translation>
    </message>
    <message>
        <source>오류 %1건, 경고 %2건</source>
        <translation>%1 error(s), %2 warning(s)</translation>
    </message>
</context>
<context>
    <name>SettingsPage</name>
    <message>
        <source>환경 설정</source>
        <translation>Preferences</translation>
    </message>
    <message>
        <source>언어</source>
        <translation>Language</translation>
    </message>
    <message>
        <source>언어를 바꾸면 창을 새 언어로 다시 엽니다.</source>
        <translation>Changing the language reopens the window in that language.</translation>
    </message>
    <message>
        <source>폴더 열기</source>
        <translation>Open folder</translation>
    </message>
    <message>
        <source>파일 하나에 %1MB까지</source>
        <translation>Up to %1 MB per file</translation>
    </message>
    <message>
        <source>데이터</source>
        <translation>Data</translation>
    </message>
    <message>
        <source>데이터 폴더</source>
        <translation>Data folder</translation>
    </message>
    <message>
        <source>데이터 파일</source>
        <translation>Data file</translation>
    </message>
    <message>
        <source>첨부 파일 크기 제한</source>
        <translation>Attachment size limit</translation>
    </message>
    <message>
        <source>데이터 폴더에는 데이터 파일, 첨부 파일(attachments)과 백업(backups)이 있습니다. 다른 폴더를 쓰려면 환경 변수 CONSULTANT_APP_DATA_DIR 을 설정하거나 --data-dir 옵션으로 실행하세요.</source>
        <translation>The data folder holds the data file, the attachments and the backups. To use another folder, set the environment variable CONSULTANT_APP_DATA_DIR or start the app with --data-dir.</translation>
    </message>
    <message>
        <source>버전 %1</source>
        <translation>Version %1</translation>
    </message>
</context>
<context>
    <name>SyncDialogs</name>
    <message>
        <source>(비어 있음)</source>
        <translation>(empty)</translation>
    </message>
    <message>
        <source>충돌 해결: %1</source>
        <translation>Resolve conflict: %1</translation>
    </message>
    <message>
        <source>같은 항목이 서버와 이 컴퓨터에서 서로 다르게 바뀌었습니다. 항목마다 남길 값을 고르세요. 고른 값은 다음 동기화 때 서버에 보냅니다.</source>
        <translation>The same fields were changed differently on the server and on this computer. Choose the value to keep for each field; it is sent to the server at the next sync.</translation>
    </message>
    <message>
        <source>항목</source>
        <translation>Field</translation>
    </message>
    <message>
        <source>서버의 값</source>
        <translation>Server&apos;s value</translation>
    </message>
    <message>
        <source>이 컴퓨터의 값</source>
        <translation>This computer&apos;s value</translation>
    </message>
    <message>
        <source>직접 입력</source>
        <translation>Type a value</translation>
    </message>
    <message>
        <source>거부된 변경 고치기: %1</source>
        <translation>Fix rejected change: %1</translation>
    </message>
    <message>
        <source>서버가 거부한 이유: %1</source>
        <translation>Why the server rejected it: %1</translation>
    </message>
    <message>
        <source>이전 값</source>
        <translation>Previous value</translation>
    </message>
    <message>
        <source>새 값</source>
        <translation>New value</translation>
    </message>
</context>
<context>
    <name>SyncPage</name>
    <message>
        <source>대기</source>
        <translation>Waiting</translation>
    </message>
    <message>
        <source>충돌</source>
        <translation>Conflict</translation>
    </message>
    <message>
        <source>거부</source>
        <translation>Rejected</translation>
    </message>
    <message>
        <source>%1: 서버 &apos;%2&apos;, 이 컴퓨터 &apos;%3&apos;</source>
        <translation>%1: server &apos;%2&apos;, this computer &apos;%3&apos;</translation>
    </message>
    <message>
        <source>새 기록</source>
        <translation>New record</translation>
    </message>
    <message>
        <source>수정</source>
        <translation>Edit</translation>
    </message>
    <message>
        <source>삭제</source>
        <translation>Deletion</translation>
    </message>
    <message>
        <source>상태</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>종류</source>
        <translation>Kind</translation>
    </message>
    <message>
        <source>기록</source>
        <translation>Record</translation>
    </message>
    <message>
        <source>바뀐 항목</source>
        <translation>Changed fields</translation>
    </message>
    <message>
        <source>내용</source>
        <translation>Details</translation>
    </message>
    <message>
        <source>첨부 파일을 보내는 중…</source>
        <translation>Sending attachments…</translation>
    </message>
    <message>
        <source>변경을 보내는 중…</source>
        <translation>Sending changes…</translation>
    </message>
    <message>
        <source>변경을 받는 중…</source>
        <translation>Receiving changes…</translation>
    </message>
    <message>
        <source>첨부 파일을 받는 중…</source>
        <translation>Receiving attachments…</translation>
    </message>
    <message>
        <source>비밀번호</source>
        <translation>Password</translation>
    </message>
    <message>
        <source>저장된 로그인이 있어 비밀번호 없이 동기화합니다.</source>
        <translation>A login is kept on this computer: no password needed.</translation>
    </message>
    <message>
        <source>서버 주소</source>
        <translation>Server address</translation>
    </message>
    <message>
        <source>사용자 이름</source>
        <translation>User name</translation>
    </message>
    <message>
        <source>지금 동기화</source>
        <translation>Sync now</translation>
    </message>
    <message>
        <source>로그아웃</source>
        <translation>Log out</translation>
    </message>
    <message>
        <source>이 컴퓨터에 저장된 로그인 토큰을 지웁니다</source>
        <translation>Deletes the login token kept on this computer</translation>
    </message>
    <message>
        <source>중앙추진본부 서버</source>
        <translation>Central office server</translation>
    </message>
    <message>
        <source>충돌 해결…</source>
        <translation>Resolve conflict…</translation>
    </message>
    <message>
        <source>고치기…</source>
        <translation>Fix…</translation>
    </message>
    <message>
        <source>다시 보내기</source>
        <translation>Send again</translation>
    </message>
    <message>
        <source>버리기…</source>
        <translation>Discard…</translation>
    </message>
    <message>
        <source>보내지 않은 변경</source>
        <translation>Changes not yet on the server</translation>
    </message>
    <message>
        <source>동기화</source>
        <translation>Sync</translation>
    </message>
    <message>
        <source>마지막 동기화: %1</source>
        <translation>Last sync: %1</translation>
    </message>
    <message>
        <source>아직 없음</source>
        <translation>never</translation>
    </message>
    <message>
        <source>보낼 변경 %1건 · 충돌 %2건 · 거부 %3건</source>
        <translation>Changes to send %1 · conflicts %2 · rejected %3</translation>
    </message>
    <message>
        <source>(대기 중인 변경은 앞의 %1건만 표시)</source>
        <translation>(only the first %1 waiting changes are listed)</translation>
    </message>
    <message>
        <source>충돌을 해결했습니다: %1. 다음 동기화 때 서버에 보냅니다.</source>
        <translation>Conflict resolved: %1. It is sent to the server at the next sync.</translation>
    </message>
    <message>
        <source>고친 변경을 다음 동기화 때 다시 보냅니다: %1</source>
        <translation>The fixed change is sent again at the next sync: %1</translation>
    </message>
    <message>
        <source>다음 동기화 때 다시 보냅니다: %1</source>
        <translation>Sent again at the next sync: %1</translation>
    </message>
    <message>
        <source>새 기록 &apos;%1&apos;을(를) 이 컴퓨터에서 지우고 이 변경을 버릴까요? 되돌릴 수 없습니다.</source>
        <translation>Delete the new record &apos;%1&apos; from this computer and discard this change? This cannot be undone.</translation>
    </message>
    <message>
        <source>&apos;%1&apos;의 이 변경을 버리고 이전 값으로 되돌릴까요? 되돌릴 수 없습니다.</source>
        <translation>Discard this change of &apos;%1&apos; and go back to the previous values? This cannot be undone.</translation>
    </message>
    <message>
        <source>변경 버리기</source>
        <translation>Discard change</translation>
    </message>
    <message>
        <source>변경을 버렸습니다: %1</source>
        <translation>Change discarded: %1</translation>
    </message>
    <message>
        <source>서버 주소와 사용자 이름을 입력하세요.</source>
        <translation>Enter the server&apos;s address and your user name.</translation>
    </message>
    <message>
        <source>비밀번호를 입력하세요 (처음 동기화할 때 한 번).</source>
        <translation>Enter your password (once, for the first sync).</translation>
    </message>
    <message>
        <source>서버에 연결하는 중…</source>
        <translation>Connecting to the server…</translation>
    </message>
    <message>
        <source>동기화했습니다: 보냄 %1건 (반영 %2, 충돌 %3, 거부 %4), 받음 %5건</source>
        <translation>Synced: sent %1 (applied %2, conflicts %3, rejected %4), received %5</translation>
    </message>
    <message>
        <source>충돌하거나 거부된 변경은 아래 표에서 골라 해결하세요.</source>
        <translation>Pick conflicting or rejected changes in the table below to settle them.</translation>
    </message>
    <message>
        <source>이 컴퓨터에는 OS 키링이 없어 로그인 토큰을 이 사용자만 읽을 수 있는 파일에 저장했습니다: %1</source>
        <translation>No OS keyring here: the login token was saved in a file only you can read: %1</translation>
    </message>
    <message>
        <source>동기화하지 못했습니다: %1</source>
        <translation>Sync failed: %1</translation>
    </message>
    <message>
        <source>이미 보내거나 받은 자료는 그대로 있습니다.</source>
        <translation>What was already sent or received is kept.</translation>
    </message>
    <message>
        <source>로그아웃했습니다. 다음 동기화 때 비밀번호를 입력하세요.</source>
        <translation>Logged out. Enter your password at the next sync.</translation>
    </message>
</context>
<context>
    <name>VisitsTab</name>
    <message>
        <source>방문일</source>
        <translation>Visit date</translation>
    </message>
    <message>
        <source>시간</source>
        <translation>Hours</translation>
    </message>
    <message>
        <source>활동 내용</source>
        <translation>Activities</translation>
    </message>
    <message>
        <source>첨부</source>
        <translation>Files</translation>
    </message>
    <message>
        <source>방문 기록 편집</source>
        <translation>Edit visit</translation>
    </message>
    <message>
        <source>먼저 참여 차수를 선택하거나 새로 만드세요.</source>
        <translation>First pick or create an engagement under Programme year.</translation>
    </message>
    <message>
        <source>새 방문</source>
        <translation>New visit</translation>
    </message>
    <message>
        <source>방문 삭제</source>
        <translation>Delete visit</translation>
    </message>
    <message>
        <source>방문 기록</source>
        <translation>Visits</translation>
    </message>
    <message>
        <source>0–24시간</source>
        <translation>0–24 hours</translation>
    </message>
    <message>
        <source>방문일 *</source>
        <translation>Visit date *</translation>
    </message>
    <message>
        <source>메모</source>
        <translation>Notes</translation>
    </message>
    <message>
        <source>저장</source>
        <translation>Save</translation>
    </message>
    <message>
        <source>되돌리기</source>
        <translation>Revert</translation>
    </message>
    <message>
        <source>입력값을 확인하세요. 저장하지 않았습니다.</source>
        <translation>Check the values you entered. Nothing was saved.</translation>
    </message>
    <message>
        <source>저장했습니다.</source>
        <translation>Saved.</translation>
    </message>
    <message>
        <source>%1 방문 기록을 삭제할까요? 이 방문에 첨부한 파일 %2개도 함께 삭제됩니다.</source>
        <translation>Delete the visit of %1? The files attached to it (%2) are deleted too.</translation>
    </message>
    <message>
        <source>삭제했습니다.</source>
        <translation>Deleted.</translation>
    </message>
    <message>
        <source>새 방문 기록</source>
        <translation>New visit</translation>
    </message>
    <message>
        <source>%1 방문 기록</source>
        <translation>Visit of %1</translation>
    </message>
</context>
<context>
    <name>WorkspacePage</name>
    <message>
        <source>기업 정보</source>
        <translation>Company</translation>
    </message>
    <message>
        <source>참여 정보</source>
        <translation>Engagement</translation>
    </message>
    <message>
        <source>KPI</source>
        <translation>KPIs</translation>
    </message>
    <message>
        <source>방문·증빙</source>
        <translation>Visits and evidence</translation>
    </message>
    <message>
        <source>성과·만족도</source>
        <translation>Outcomes and satisfaction</translation>
    </message>
    <message>
        <source>확인서</source>
        <translation>Certificate</translation>
    </message>
    <message>
        <source>참여 차수</source>
        <translation>Programme year</translation>
    </message>
    <message>
        <source>%1차년도</source>
        <translation>Year %1</translation>
    </message>
    <message>
        <source>새 참여…</source>
        <translation>New engagement…</translation>
    </message>
    <message>
        <source>새 기업</source>
        <translation>New company</translation>
    </message>
</context>
</TS>
