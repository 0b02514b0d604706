// The route table: path, title, access key and menu placement in one place; the side menu and
// breadcrumbs are derived from it, so a page the user may not open never shows up.
import type { ReactNode } from "react";
import { Navigate, Route, Routes, useLocation } from "react-router";
import { Result, Spin } from "antd";
import { useTranslation } from "react-i18next";
import {
  AppstoreOutlined,
  DashboardOutlined,
  DatabaseOutlined,
  ImportOutlined,
  AuditOutlined,
  DeleteOutlined,
  ExportOutlined,
  SlidersOutlined,
  ShoppingOutlined,
  SwapOutlined,
  TableOutlined,
  UnorderedListOutlined,
  CarOutlined,
  FieldTimeOutlined,
  WarningOutlined,
  ShoppingCartOutlined,
  ShopOutlined,
  CheckSquareOutlined,
  SafetyOutlined,
  TrophyOutlined,
  ClockCircleOutlined,
  FileTextOutlined,
  InboxOutlined,
  FileAddOutlined,
  RollbackOutlined,
} from "@ant-design/icons";
import { useAuth } from "./auth/auth";
import type { AccessKey } from "./auth/access";
import { AppLayout } from "./layout/AppLayout";
import { LoginPage } from "./pages/login/LoginPage";
import { DashboardPage } from "./pages/dashboard/DashboardPage";
import { ProductListPage } from "./pages/products/ProductListPage";
import { ProductCreatePage } from "./pages/products/ProductCreatePage";
import { ProductDetailPage } from "./pages/products/ProductDetailPage";
import { StockBalancePage } from "./pages/stock/StockBalancePage";
import { StockMovePage } from "./pages/stock/StockMovePage";
import { StockAtPage } from "./pages/stock-reports/StockAtPage";
import { InTransitPage } from "./pages/stock-reports/InTransitPage";
import { ExpiringBatchesPage } from "./pages/stock-reports/ExpiringBatchesPage";
import { StockDocListPage } from "./pages/stock-docs/StockDocListPage";
import { StockDocCreatePage } from "./pages/stock-docs/StockDocCreatePage";
import { StockDocDetailPage } from "./pages/stock-docs/StockDocDetailPage";
import { STOCK_KINDS, type StockKind } from "./pages/stock-docs/kinds";
import { MasterDataPage } from "./pages/master/MasterDataPage";
import { MASTER_RESOURCES } from "./pages/master/resources";
import { TransferListPage } from "./pages/transfers/TransferListPage";
import { TransferCreatePage } from "./pages/transfers/TransferCreatePage";
import { TransferDetailPage } from "./pages/transfers/TransferDetailPage";
import { StockCountListPage } from "./pages/counts/StockCountListPage";
import { StockCountDetailPage } from "./pages/counts/StockCountDetailPage";
import { LabelPrintPage } from "./pages/labels/LabelPrintPage";
import {
  BankOutlined,
  BarChartOutlined,
  BarcodeOutlined,
  FundOutlined,
  MailOutlined,
  PieChartOutlined,
  SettingOutlined,
  SyncOutlined,
} from "@ant-design/icons";
import { StockSummaryPage } from "./pages/reports/StockSummaryPage";
import { StockStatusPage } from "./pages/reports/StockStatusPage";
import { TurnoverPage } from "./pages/reports/TurnoverPage";

import { SupplierItemsPage } from "./pages/purchasing/SupplierItemsPage";
import { PurchaseOrderListPage } from "./pages/purchasing/PurchaseOrderListPage";
import { PurchaseOrderCreatePage, PurchaseOrderDetailPage } from "./pages/purchasing/PurchaseOrderPages";
import { ReceiveOrderPage } from "./pages/purchasing/ReceiveOrderPage";
import { PurchaseReceiptListPage } from "./pages/purchasing/PurchaseReceiptListPage";
import { PurchaseReceiptDetailPage } from "./pages/purchasing/PurchaseReceiptDetailPage";
import { ReceiptCreatePage } from "./pages/purchasing/ReceiptCreatePage";
import { ReturnListPage } from "./pages/purchasing/returns/ReturnListPage";
import { ReturnCreatePage } from "./pages/purchasing/returns/ReturnCreatePage";
import { ReturnDetailPage } from "./pages/purchasing/returns/ReturnDetailPage";
import { RequestListPage } from "./pages/purchasing/requests/RequestListPage";
import { RequestCreatePage } from "./pages/purchasing/requests/RequestCreatePage";
import { RequestDetailPage } from "./pages/purchasing/requests/RequestDetailPage";
import { CompanySettingsPage } from "./pages/settings/CompanySettingsPage";
import { PurchaseAnalysisPage } from "./pages/reports/PurchaseAnalysisPage";
import { SupplierRatingPage } from "./pages/reports/SupplierRatingPage";
import { OpenPurchaseOrdersPage } from "./pages/reports/OpenPurchaseOrdersPage";
import { BatchTracePage } from "./pages/reports/BatchTracePage";
import { ReturnsReportPage } from "./pages/reports/ReturnsReportPage";
import { MySubscriptionsPage } from "./pages/reports/subscriptions/MySubscriptionsPage";
import { UsersPage } from "./pages/settings/UsersPage";
import { RolesPage } from "./pages/settings/RolesPage";
import { ReasonCodesPage } from "./pages/settings/ReasonCodesPage";
import { NumberingPage } from "./pages/settings/NumberingPage";
import { NumberOutlined, TagsOutlined, TeamOutlined, UserOutlined } from "@ant-design/icons";
import { ApprovalInboxPage } from "./pages/approvals/ApprovalInboxPage";
import { ApprovalRulesPage } from "./pages/approvals/ApprovalRulesPage";
import {
  AccountBookOutlined,
  FileDoneOutlined,
  HourglassOutlined,
  PayCircleOutlined,
  ProfileOutlined,
  NodeIndexOutlined,
} from "@ant-design/icons";
import { SupplierInvoiceListPage } from "./pages/finance/SupplierInvoiceListPage";
import { SupplierInvoiceCreatePage } from "./pages/finance/SupplierInvoiceCreatePage";
import { SupplierInvoiceDetailPage } from "./pages/finance/SupplierInvoiceDetailPage";
import { SupplierPaymentListPage } from "./pages/finance/SupplierPaymentListPage";
import { SupplierPaymentCreatePage } from "./pages/finance/SupplierPaymentCreatePage";
import { SupplierPaymentDetailPage } from "./pages/finance/SupplierPaymentDetailPage";
import { StatementPage } from "./pages/finance/StatementPage";
import { PayablesAgeingPage } from "./pages/finance/PayablesAgeingPage";
import type { MessageKey } from "./i18n/keys";

/** The inbox route: its menu item carries the count of pending approvals. */
export const APPROVALS_PATH = "/approvals";

export type MenuGroup = "masterData" | "purchasing" | "inventory" | "finance" | "reports" | "settings";

export interface AppRoute {
  path: string;
  title: MessageKey;
  access: AccessKey;
  element: ReactNode;
  menu?: { group: MenuGroup | null; icon: ReactNode };
  parent?: string; // path of the list page, for breadcrumbs
}

export const MENU_GROUPS: { key: MenuGroup; title: MessageKey; icon: ReactNode }[] = [
  { key: "masterData", title: "menu.masterData", icon: <AppstoreOutlined /> },
  { key: "purchasing", title: "menu.purchasing", icon: <ShoppingCartOutlined /> },
  { key: "inventory", title: "menu.inventory", icon: <DatabaseOutlined /> },
  { key: "finance", title: "menu.finance", icon: <AccountBookOutlined /> },
  { key: "reports", title: "menu.reports", icon: <BarChartOutlined /> },
  { key: "settings", title: "menu.settings", icon: <SettingOutlined /> },
];

const KIND_ICONS: Record<StockKind, ReactNode> = {
  stock_in: <ImportOutlined />,
  stock_out: <ExportOutlined />,
  adjustment: <SlidersOutlined />,
  scrap: <DeleteOutlined />,
};

export const APP_ROUTES: AppRoute[] = [
  {
    path: "/",
    title: "menu.dashboard",
    access: "dashboard",
    element: <DashboardPage />,
    menu: { group: null, icon: <DashboardOutlined /> },
  },
  {
    path: APPROVALS_PATH,
    title: "menu.approvals",
    access: "approvals",
    element: <ApprovalInboxPage />,
    menu: { group: null, icon: <CheckSquareOutlined /> },
  },
  {
    path: "/master/products",
    title: "menu.products",
    access: "products",
    element: <ProductListPage />,
    menu: { group: "masterData", icon: <ShoppingOutlined /> },
  },
  {
    path: "/master/products/new",
    title: "product.createTitle",
    access: "productsCreate",
    element: <ProductCreatePage />,
    parent: "/master/products",
  },
  {
    path: "/master/products/:id",
    title: "productEdit.title",
    access: "products",
    element: <ProductDetailPage />,
    parent: "/master/products",
  },
  ...MASTER_RESOURCES.map(
    (def): AppRoute => ({
      path: def.path,
      title: def.title,
      access: `${def.resource}View`,
      element: <MasterDataPage key={def.resource} def={def} />,
      menu: { group: "masterData", icon: <TableOutlined /> },
    }),
  ),
  {
    path: "/master/labels",
    title: "printing.labelsTitle",
    access: "labels",
    element: <LabelPrintPage />,
    menu: { group: "masterData", icon: <BarcodeOutlined /> },
  },
  {
    path: "/master/approval-rules",
    title: "menu.approvalRules",
    access: "approvalRules",
    element: <ApprovalRulesPage />,
    menu: { group: "masterData", icon: <SafetyOutlined /> },
  },
  {
    path: "/reports/stock-summary",
    title: "reports.summaryTitle",
    access: "reportStockSummary",
    element: <StockSummaryPage />,
    menu: { group: "reports", icon: <FundOutlined /> },
  },
  {
    path: "/reports/stock-status",
    title: "reports.statusTitle",
    access: "reportStockStatus",
    element: <StockStatusPage />,
    menu: { group: "reports", icon: <PieChartOutlined /> },
  },
  {
    path: "/reports/turnover",
    title: "reports.turnoverTitle",
    access: "reportTurnover",
    element: <TurnoverPage />,
    menu: { group: "reports", icon: <SyncOutlined /> },
  },
  {
    path: "/purchasing/orders",
    title: "menu.purchaseOrders",
    access: "purchaseOrders",
    element: <PurchaseOrderListPage />,
    menu: { group: "purchasing", icon: <FileTextOutlined /> },
  },
  {
    path: "/purchasing/orders/new",
    title: "purchase.createOrder",
    access: "purchaseOrdersCreate",
    element: <PurchaseOrderCreatePage />,
    parent: "/purchasing/orders",
  },
  {
    path: "/purchasing/orders/:id",
    title: "purchase.orderDetail",
    access: "purchaseOrders",
    element: <PurchaseOrderDetailPage />,
    parent: "/purchasing/orders",
  },
  {
    path: "/purchasing/orders/:id/receive",
    title: "purchase.receive",
    access: "purchaseReceiptsCreate",
    element: <ReceiveOrderPage />,
    parent: "/purchasing/orders",
  },
  {
    path: "/purchasing/receipts",
    title: "menu.purchaseReceipts",
    access: "purchaseReceipts",
    element: <PurchaseReceiptListPage />,
    menu: { group: "purchasing", icon: <InboxOutlined /> },
  },
  {
    path: "/purchasing/receipts/new",
    title: "receiptLines.create",
    access: "purchaseReceiptsCreate",
    element: <ReceiptCreatePage />,
    parent: "/purchasing/receipts",
  },
  {
    path: "/purchasing/receipts/:id",
    title: "purchase.receiptDetail",
    access: "purchaseReceipts",
    element: <PurchaseReceiptDetailPage />,
    parent: "/purchasing/receipts",
  },
  {
    path: "/reports/purchases",
    title: "menu.purchaseAnalysis",
    access: "reportPurchases",
    element: <PurchaseAnalysisPage />,
    menu: { group: "reports", icon: <BarChartOutlined /> },
  },
  {
    path: "/reports/supplier-rating",
    title: "menu.supplierRating",
    access: "reportPurchases",
    element: <SupplierRatingPage />,
    menu: { group: "reports", icon: <TrophyOutlined /> },
  },
  {
    path: "/reports/batch-trace",
    title: "batchTrace.title",
    access: "reportBatchTrace",
    element: <BatchTracePage />,
    menu: { group: "reports", icon: <NodeIndexOutlined /> },
  },
  {
    path: "/reports/returns",
    title: "returnsReport.title",
    access: "reportReturns",
    element: <ReturnsReportPage />,
    menu: { group: "reports", icon: <RollbackOutlined /> },
  },
  {
    path: "/reports/subscriptions",
    title: "subscriptions.myTitle",
    access: "reportSubscriptions",
    element: <MySubscriptionsPage />,
    menu: { group: "reports", icon: <MailOutlined /> },
  },
  {
    path: "/purchasing/open-orders",
    title: "menu.openPurchaseOrders",
    access: "reportOpenPurchaseOrders",
    element: <OpenPurchaseOrdersPage />,
    menu: { group: "purchasing", icon: <ClockCircleOutlined /> },
  },
  {
    path: "/purchasing/supplier-items",
    title: "menu.supplierItems",
    access: "supplierItems",
    element: <SupplierItemsPage />,
    menu: { group: "purchasing", icon: <ShopOutlined /> },
  },
  {
    path: "/purchasing/requests",
    title: "menu.purchaseRequests",
    access: "purchaseRequests",
    element: <RequestListPage />,
    menu: { group: "purchasing", icon: <FileAddOutlined /> },
  },
  {
    path: "/purchasing/requests/new",
    title: "purchaseRequest.create",
    access: "purchaseRequestsCreate",
    element: <RequestCreatePage />,
    parent: "/purchasing/requests",
  },
  {
    path: "/purchasing/requests/:id",
    title: "purchaseRequest.detailTitle",
    access: "purchaseRequests",
    element: <RequestDetailPage />,
    parent: "/purchasing/requests",
  },
  {
    path: "/purchasing/returns",
    title: "menu.purchaseReturns",
    access: "purchaseReturns",
    element: <ReturnListPage />,
    menu: { group: "purchasing", icon: <RollbackOutlined /> },
  },
  {
    path: "/purchasing/returns/new",
    title: "purchaseReturn.create",
    access: "purchaseReturnsCreate",
    element: <ReturnCreatePage />,
    parent: "/purchasing/returns",
  },
  {
    path: "/purchasing/returns/:id",
    title: "purchaseReturn.detailTitle",
    access: "purchaseReturns",
    element: <ReturnDetailPage />,
    parent: "/purchasing/returns",
  },
  {
    path: "/inventory/balances",
    title: "menu.stockBalances",
    access: "stockBalances",
    element: <StockBalancePage />,
    menu: { group: "inventory", icon: <DatabaseOutlined /> },
  },
  {
    path: "/inventory/moves",
    title: "menu.stockMoves",
    access: "stockMoves",
    element: <StockMovePage />,
    menu: { group: "inventory", icon: <UnorderedListOutlined /> },
  },
  {
    path: "/inventory/stock-at",
    title: "stockPages.menuStockAt",
    access: "stockAt",
    element: <StockAtPage />,
    menu: { group: "inventory", icon: <FieldTimeOutlined /> },
  },
  {
    path: "/inventory/in-transit",
    title: "stockPages.menuInTransit",
    access: "inTransit",
    element: <InTransitPage />,
    menu: { group: "inventory", icon: <CarOutlined /> },
  },
  {
    path: "/inventory/expiring-batches",
    title: "stockPages.menuExpiring",
    access: "expiringBatches",
    element: <ExpiringBatchesPage />,
    menu: { group: "inventory", icon: <WarningOutlined /> },
  },
  ...STOCK_KINDS.flatMap((config): AppRoute[] => [
    {
      path: config.path,
      title: config.menuTitle,
      access: config.access,
      element: <StockDocListPage key={config.kind} kind={config.kind} />,
      menu: { group: "inventory", icon: KIND_ICONS[config.kind] },
    },
    {
      path: `${config.path}/new`,
      title: `docKind.${config.kind}.create`,
      access: config.createAccess,
      element: <StockDocCreatePage key={config.kind} kind={config.kind} />,
      parent: config.path,
    },
    {
      path: `${config.path}/:id`,
      title: `docKind.${config.kind}.detailTitle`,
      access: config.access,
      element: <StockDocDetailPage key={config.kind} kind={config.kind} />,
      parent: config.path,
    },
  ]),
  {
    path: "/inventory/transfers",
    title: "menu.transfers",
    access: "transfers",
    element: <TransferListPage />,
    menu: { group: "inventory", icon: <SwapOutlined /> },
  },
  {
    path: "/inventory/transfers/new",
    title: "transfer.create",
    access: "transfersCreate",
    element: <TransferCreatePage />,
    parent: "/inventory/transfers",
  },
  {
    path: "/inventory/transfers/:id",
    title: "transfer.detailTitle",
    access: "transfers",
    element: <TransferDetailPage />,
    parent: "/inventory/transfers",
  },
  {
    path: "/inventory/stock-counts",
    title: "menu.stockCounts",
    access: "stockCounts",
    element: <StockCountListPage />,
    menu: { group: "inventory", icon: <AuditOutlined /> },
  },
  {
    path: "/inventory/stock-counts/:id",
    title: "count.detailTitle",
    access: "stockCounts",
    element: <StockCountDetailPage />,
    parent: "/inventory/stock-counts",
  },
  {
    path: "/settings/company",
    title: "menu.companySettings",
    access: "companySettings",
    element: <CompanySettingsPage />,
    menu: { group: "settings", icon: <BankOutlined /> },
  },
  {
    path: "/finance/supplier-invoices",
    title: "menu.supplierInvoices",
    access: "supplierInvoices",
    element: <SupplierInvoiceListPage />,
    menu: { group: "finance", icon: <FileDoneOutlined /> },
  },
  {
    path: "/finance/supplier-invoices/new",
    title: "finance.newInvoice",
    access: "supplierInvoicesCreate",
    element: <SupplierInvoiceCreatePage />,
    parent: "/finance/supplier-invoices",
  },
  {
    path: "/finance/supplier-invoices/:id",
    title: "finance.invoice",
    access: "supplierInvoices",
    element: <SupplierInvoiceDetailPage />,
    parent: "/finance/supplier-invoices",
  },
  {
    path: "/finance/supplier-payments",
    title: "menu.supplierPayments",
    access: "supplierPayments",
    element: <SupplierPaymentListPage />,
    menu: { group: "finance", icon: <PayCircleOutlined /> },
  },
  {
    path: "/finance/supplier-payments/new",
    title: "finance.newPayment",
    access: "supplierPaymentsCreate",
    element: <SupplierPaymentCreatePage />,
    parent: "/finance/supplier-payments",
  },
  {
    path: "/finance/supplier-payments/:id",
    title: "finance.payment",
    access: "supplierPayments",
    element: <SupplierPaymentDetailPage />,
    parent: "/finance/supplier-payments",
  },
  {
    path: "/finance/statement",
    title: "menu.supplierStatement",
    access: "supplierStatement",
    element: <StatementPage />,
    menu: { group: "finance", icon: <ProfileOutlined /> },
  },
  {
    path: "/finance/ageing",
    title: "menu.payablesAgeing",
    access: "payablesAgeing",
    element: <PayablesAgeingPage />,
    menu: { group: "finance", icon: <HourglassOutlined /> },
  },
  {
    path: "/settings/users",
    title: "menu.users",
    access: "users",
    element: <UsersPage />,
    menu: { group: "settings", icon: <UserOutlined /> },
  },
  {
    path: "/settings/roles",
    title: "menu.roles",
    access: "roles",
    element: <RolesPage />,
    menu: { group: "settings", icon: <TeamOutlined /> },
  },
  {
    path: "/settings/reason-codes",
    title: "menu.reasonCodes",
    access: "reasonCodes",
    element: <ReasonCodesPage />,
    menu: { group: "settings", icon: <TagsOutlined /> },
  },
  {
    path: "/settings/numbering",
    title: "menu.numbering",
    access: "numbering",
    element: <NumberingPage />,
    menu: { group: "settings", icon: <NumberOutlined /> },
  },
];

function RequireLogin({ children }: { children: ReactNode }) {
  const { me, loading } = useAuth();
  const location = useLocation();
  const { t } = useTranslation();
  if (loading) {
    return (
      <div style={{ padding: 48, textAlign: "center" }}>
        <Spin tip={t("app.loading")} />
      </div>
    );
  }
  if (!me) {
    const next = location.pathname + location.search;
    return <Navigate to={`/login?next=${encodeURIComponent(next)}`} replace />;
  }
  return <>{children}</>;
}

function Forbidden() {
  const { t } = useTranslation();
  return <Result status="403" title="403" subTitle={t("error.forbidden")} />;
}

function NotFound() {
  const { t } = useTranslation();
  return <Result status="404" title="404" subTitle={t("error.notFoundPage")} />;
}

function Guarded({ route }: { route: AppRoute }) {
  const { can } = useAuth();
  return can(route.access) ? <>{route.element}</> : <Forbidden />;
}

export function AppRoutes() {
  return (
    <Routes>
      <Route path="/login" element={<LoginPage />} />
      <Route
        element={
          <RequireLogin>
            <AppLayout />
          </RequireLogin>
        }
      >
        {APP_ROUTES.map((route) => (
          <Route key={route.path} path={route.path} element={<Guarded route={route} />} />
        ))}
        <Route path="*" element={<NotFound />} />
      </Route>
    </Routes>
  );
}
