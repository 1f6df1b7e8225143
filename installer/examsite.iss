; Inno Setup script for the Windows installer of ExamSite (考点助手).
; Build dist\examsite with PyInstaller on Windows first, then: iscc installer\examsite.iss
#define AppName "考点助手 ExamSite"
#define AppVersion "0.1.0"

[Setup]
AppId={{5C2B7E0A-6B1F-4D3E-9A51-EXAMSITE0001}
AppName={#AppName}
AppVersion={#AppVersion}
AppPublisher=ExamSite
DefaultDirName={autopf}\ExamSite
DefaultGroupName={#AppName}
OutputBaseFilename=ExamSite-{#AppVersion}-setup
Compression=lzma2
SolidCompression=yes
; Lab PCs often have no admin rights for teachers: install per user when asked.
PrivilegesRequiredOverridesAllowed=dialog
ArchitecturesInstallIn64BitMode=x64compatible
; Drawn by installer/make_artwork.py (the icon in every size, the two wizard images).
SetupIconFile=..\resources\icons\examsite.ico
UninstallDisplayIcon={app}\examsite.exe
WizardImageFile=..\resources\installer\wizard.bmp
WizardSmallImageFile=..\resources\installer\wizard-small.bmp

[Languages]
Name: "chinesesimplified"; MessagesFile: "compiler:Languages\ChineseSimplified.isl"

[Files]
Source: "..\dist\examsite\*"; DestDir: "{app}"; Flags: recursesubdirs ignoreversion

[Icons]
Name: "{group}\{#AppName}"; Filename: "{app}\examsite.exe"
Name: "{group}\{#AppName}（演示考点）"; Filename: "{app}\examsite.exe"; Parameters: "--demo"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\examsite.exe"; Tasks: desktopicon

[Tasks]
Name: "desktopicon"; Description: "创建桌面快捷方式"

[Run]
Filename: "{app}\examsite.exe"; Description: "启动考点助手"; Flags: nowait postinstall skipifsilent
